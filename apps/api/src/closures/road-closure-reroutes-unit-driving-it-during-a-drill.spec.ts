import { distance, pointToLineDistance } from '@turf/turf';
import { DrillService } from '../drill/drill.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * During a drill, a dispatcher closes a street ahead of a unit driving to an incident: the unit's
 * task is re-routed at once and the simulated crew drives the new route from where it is (its AVL
 * position lies on the new route).
 */
describe('closing a real street during a drill re-routes the unit driving it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('closure-drill');
  });
  afterAll(async () => {
    await t.close();
  });

  it('moves the unit along the new route', async () => {
    const started = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 20, limit: 6 });
    expect(started.status).toBe(201);
    // A unit en route with a long way still to go.
    const a = await waitFor(async () => {
      const rows = await t.ds.query(
        `SELECT a.id, a.unit_id, a.route FROM assignment a JOIN incident i ON i.id = a.incident_id
          WHERE i.drill_id = $1 AND a.status = 'en_route' AND jsonb_array_length(a.route->'coordinates') > 12`,
        [started.body.id],
      );
      return rows[0];
    }, 60000, 'a unit en route');
    const coords: number[][] = a.route.coordinates;
    const k = coords.length - 4; // a block near the end: still ahead of the unit
    const closed = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [coords[k], coords[k + 1]] }, reason: 'drill: bridge closed' });
    expect(closed.status).toBe(201);
    expect(closed.body.rerouted.map((r: any) => r.assignmentId)).toContain(a.id);
    const [after] = await t.ds.query(`SELECT route FROM assignment WHERE id = $1`, [a.id]);
    expect(after.route.coordinates).not.toEqual(coords);
    // The simulated unit drives on: once it has moved 40 m or more, it is on the new route.
    // The drill's own copy of the unit (its world is the drill id), not the live one.
    const [p0] = await t.ds.query(`SELECT lat, lon FROM unit WHERE world = $2 AND id = $1`, [a.unit_id, started.body.id]);
    const moved = await waitFor(async () => {
      const [u] = await t.ds.query(`SELECT lat, lon FROM unit WHERE world = $2 AND id = $1`, [a.unit_id, started.body.id]);
      return distance([p0.lon, p0.lat], [u.lon, u.lat], { units: 'meters' }) >= 40 ? u : null;
    }, 20000, 'the unit to move on');
    expect(pointToLineDistance([moved.lon, moved.lat], after.route, { units: 'meters' })).toBeLessThan(25);
    expect((await t.request('POST', `/api/drills/${started.body.id}/stop`)).status).toBeLessThan(300);
    // A stopped drill leaves no unit tied up on its exercise incidents.
    await t.app.get(DrillService).whenDone(started.body.id);
    const [{ n: busy }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE i.drill_id = $1 AND a.status <> 'cleared'`,
      [started.body.id],
    );
    expect(busy).toBe(0);
    const [{ n: open }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND status NOT IN ('resolved', 'closed', 'cancelled', 'merged')`, [started.body.id]);
    expect(open).toBe(0);
  });
});
