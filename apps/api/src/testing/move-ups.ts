import type { MoveUpView } from '@cad/domain';
import type { TestApp } from './test-app';

/**
 * Proposes (as the city commander) the first of the coverage report's recommended move-ups that the
 * policy lets through, and answers it; every one before it must have been refused (409).
 * @throws Error (a failed expectation) when none passes
 */
export async function proposeFirstRecommended(t: TestApp): Promise<MoveUpView> {
  const coverage = (await t.request('GET', '/api/coverage')).body;
  const refused: string[] = [];
  for (const m of coverage.moveUps as { unitId: string; toStationId: string }[]) {
    const r = await t.request('POST', '/api/move-ups', { unitId: m.unitId, toStationId: m.toStationId });
    if (r.status === 201) return r.body as MoveUpView;
    if (r.status !== 409) throw new Error(`proposal answered ${r.status}: ${JSON.stringify(r.body)}`);
    refused.push(String(r.body.message));
  }
  throw new Error(`no recommended move-up passed the policy (${coverage.moveUps.length} recommended): ${refused.join('; ')}`);
}
