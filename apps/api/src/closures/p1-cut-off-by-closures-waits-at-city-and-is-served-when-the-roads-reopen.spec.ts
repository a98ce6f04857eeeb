import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * What an independent tester saw: with every road closed a P1 escalated to the city and then sat there,
 * `received`, with no deadline left to move it; deleting the closures did not dispatch it, and more than
 * 100 s after the roads reopened it still had no unit. Now a dispatcher lifting a closure dispatches every
 * waiting live incident at once, and a closure that ends by itself is caught by the reconciler, which
 * tries a live incident waiting at the top tier again every `WAITING_RETRY_S`.
 *
 * A unit standing inside a closed area may drive that area's roads (it is inside the cordon), so to cut
 * every unit off, the units are first moved just off Ocean Beach, outside the closed area: the nearest
 * road to each is inside it, and closed.
 */
describe('a P1 cut off by road closures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('p1-cut-off', { WAITING_RETRY_S: '2', RECONCILE_INTERVAL_S: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A polygon over the whole north of the city: every road in it is closed. */
  const everything = { type: 'Polygon', coordinates: [[[-122.53, 37.7], [-122.35, 37.7], [-122.35, 37.84], [-122.53, 37.84], [-122.53, 37.7]]] };
  beforeAll(async () => {
    // Every live unit 2.5 km off Ocean Beach (west of the closed area, so outside it), its station too.
    await t.ds.query(`UPDATE unit SET lat = 37.75, lon = -122.54, home_lat = 37.75, home_lon = -122.54 WHERE world = 'live'`);
  });
  // Two fires 2.4 km apart, so the second is not linked to the first as a duplicate call.
  const fire = (n: number) => ({ type: 'Structure Fire', priority: 1, lat: 37.7990 - n * 0.015, lon: -122.4100 - n * 0.02, address: `cut off ${n}` });
  /** The incident of a call once it waits at the top tier for want of a unit that can reach it. */
  const waitingAtCity = (callId: string) =>
    waitFor(async () => {
      const [row] = await t.ds.query(
        `SELECT i.id FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1 AND i.status = 'received' AND i.commanding_tier = 'city' AND i.last_error IS NOT NULL`,
        [callId],
      );
      return row?.id as string | undefined;
    }, 30_000, 'the P1 waiting at the city tier');
  const dispatched = (incidentId: string, within: number) =>
    waitFor(async () => {
      const [row] = await t.ds.query(`SELECT status FROM incident WHERE id = $1 AND status <> 'received'`, [incidentId]);
      return row?.status as string | undefined;
    }, within, 'the P1 dispatched');

  it('waits at the city with a reason while every road is closed, and is dispatched as soon as the closure is lifted', async () => {
    const closure = await t.request('POST', '/api/road-closures', { geometry: everything, reason: 'earthquake: every road unsafe' });
    expect(closure.status).toBe(201);
    const call = await t.request('POST', '/api/calls', fire(0));
    expect(call.status).toBe(202);
    const incidentId = await waitingAtCity(call.body.id);
    // Still waiting a few retries later: nothing reaches it while the roads are closed, and nothing is lost.
    await new Promise((r) => setTimeout(r, 5000));
    const [still] = await t.ds.query(`SELECT status, last_error FROM incident WHERE id = $1`, [incidentId]);
    expect(still.status).toBe('received');
    // It says why, truly: the units are available, the roads are not.
    expect(still.last_error).toMatch(/^no available unit can reach it by road \(.*\): the \d+ available units able to fill it are cut off by road closures$/);

    const lifted = await t.request('DELETE', `/api/road-closures/${closure.body.closure.id}`);
    expect(lifted.status).toBe(200);
    expect(lifted.body.redispatched).toBeGreaterThanOrEqual(1);
    expect(await dispatched(incidentId, 15_000)).toBe('dispatched');
    const view = (await t.request('GET', `/api/incidents/${incidentId}`)).body;
    expect(view.assignments.length).toBeGreaterThan(0);
  }, 120_000);

  it('a closure that ends by itself: the reconciler tries the waiting P1 again and it is dispatched', async () => {
    const endsAt = new Date(Date.now() + 12_000).toISOString();
    const closure = await t.request('POST', '/api/road-closures', { geometry: everything, reason: 'gas leak: area evacuated', endsAt });
    expect(closure.status).toBe(201);
    const call = await t.request('POST', '/api/calls', fire(1));
    const incidentId = await waitingAtCity(call.body.id);
    // No dispatcher action: the closure lapses at endsAt and a retry finds the roads open.
    expect(await dispatched(incidentId, 40_000)).toBe('dispatched');
  }, 120_000);
});
