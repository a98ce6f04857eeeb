import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

describe('a drill replays 2017-01-01 through POST /api/calls, and simulated crews drive, arrive and clear', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drill');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates exercise incidents that are dispatched, reached on scene and resolved', async () => {
    // 1200x: one simulated hour every three seconds.
    const d = await t.app.get(DrillService).start('2017-01-01', 1200, t.url);
    expect(d.calls).toBeGreaterThan(100);
    await waitFor(
      async () => (await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE exercise AND status = 'resolved'`))[0].n >= 3,
      60000,
      'three resolved exercise incidents',
    );
    const calls = await t.ds.query(`SELECT exercise, source, received_at FROM call WHERE drill_id = $1`, [d.drillId]);
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.every((c: any) => c.exercise === true && c.source === 'drill')).toBe(true);
    // Simulated historical times: the first call is on 2017-01-01 local (08:00 UTC).
    expect(new Date(calls[0].received_at).getTime()).toBeGreaterThanOrEqual(Date.parse('2017-01-01T08:00:00Z'));
    const done = await t.ds.query(
      `SELECT a.dispatched_at, a.en_route_at, a.on_scene_at, a.cleared_at, a.eta_seconds FROM assignment a
         JOIN incident i ON i.id = a.incident_id WHERE i.exercise AND a.status = 'cleared' AND a.on_scene_at IS NOT NULL`,
    );
    expect(done.length).toBeGreaterThan(0);
    for (const a of done) {
      // Arrival is exactly the road travel time after the unit went en route.
      expect(new Date(a.on_scene_at).getTime() - new Date(a.en_route_at).getTime()).toBeCloseTo(a.eta_seconds * 1000, -1);
      expect(new Date(a.cleared_at).getTime()).toBeGreaterThan(new Date(a.on_scene_at).getTime());
    }
  });
});
