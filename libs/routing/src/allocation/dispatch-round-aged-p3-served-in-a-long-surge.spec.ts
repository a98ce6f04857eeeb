import { planRound, RoundCandidate, RoundPolicy } from '@cad/domain';
import { solveDispatchRound } from './dispatch-round';

/**
 * A long surge: every minute two P2 calls arrive and one ambulance frees up, nearer to the fresh P2s
 * than to the one P3 that waits from the start. Each minute one round runs.
 * @returns the minute the P3 got its ambulance, or null when it never did within `minutes`
 */
function surge(policy: RoundPolicy, minutes: number): number | null {
  const t0 = Date.UTC(2017, 0, 1, 18);
  const waiting: RoundCandidate[] = [{ id: 'p3', priority: 3, waitingSinceMs: t0 }];
  for (let m = 1; m <= minutes; m++) {
    const now = t0 + m * 60_000;
    waiting.push({ id: `p2-${m}-a`, priority: 2, waitingSinceMs: now }, { id: `p2-${m}-b`, priority: 2, waitingSinceMs: now });
    const round = planRound(waiting, now, policy);
    const decisions = solveDispatchRound(
      round.incidents.map((i) => ({ ...i, slots: ['ambulance'] })),
      [{ id: `M${m}`, capabilities: ['ambulance'] }],
      (incidentId) => (incidentId === 'p3' ? 600 : 120),
    );
    for (const d of decisions.filter((x) => x.outcome === 'sent')) {
      if (d.incidentId === 'p3') return m;
      waiting.splice(
        waiting.findIndex((w) => w.id === d.incidentId),
        1,
      );
    }
  }
  return null;
}

describe('an aged P3 is served in a long surge of P2 calls', () => {
  it('with ageing (one class step per 10 min) the P3 gets a unit once it has waited 30 min, ahead of every P2', () => {
    expect(surge({ maxIncidents: 200, ageingSeconds: 600 }, 120)).toBe(30);
  });

  it('hostile twin: without ageing the same surge starves the P3 for the whole two hours', () => {
    expect(surge({ maxIncidents: 200, ageingSeconds: Infinity }, 120)).toBeNull();
  });

  it('hostile: a round bounded to 10 incidents still reaches the aged P3 (the bound takes the most pressing first)', () => {
    expect(surge({ maxIncidents: 10, ageingSeconds: 600 }, 120)).toBe(30);
  });
});
