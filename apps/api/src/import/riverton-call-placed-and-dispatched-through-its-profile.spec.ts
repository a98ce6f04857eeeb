import type { TestApp } from '../testing/test-app';
import { startRivertonApp } from '../testing/riverton-app';
import { DrillService } from '../drill/drill.service';

/**
 * The second city end to end: the API starts on Riverton's profile alone (its boundaries, roads,
 * fleet and run cards), places a call in Riverton's chain and dispatches fire units by road ETA on
 * Riverton's own OSM grid, asks the police post for its police slot, and never sends the unmapped fireboat.
 */
describe('Riverton takes a call through its profile: placed in its wards, dispatched across agencies', () => {
  let t: TestApp;
  beforeAll(async () => {
    const started = await startRivertonApp('rivertonapp');
    t = started.t;
    expect(started.imported).toMatchObject({ districts: 2, streets: 4, units: 8 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the profile gives the files and the zone: no San Francisco setting is left', () => {
    expect(t.config).toMatchObject({ CALLS_FILE: 'riverton_calls.csv', ROADS_FILE: 'riverton_roads.osm', DISTRICTS_FILE: 'riverton_wards.geojson', DATA_TIME_ZONE: 'America/Chicago' });
  });

  it('places a structure fire in Mill Park (East Ward), sends two engines and the ladder, and requests police of its post', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 41.004, lon: -89.985, address: '5 Mill Rd' });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    expect(incident).toMatchObject({ street: { id: 'riverton-d2-mill-park' }, district: { id: 'riverton-d2' }, city: { id: 'riverton' } });
    await t.settle(async () => {
      const r = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
      return r.assignments.length >= 3;
    });
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    const units = after.assignments.map((a: { unitId: string }) => a.unitId).sort();
    expect(units).toEqual(['RE1', 'RE2', 'RL1']);
    expect(units).not.toContain('RB1');
    // The police slot is asked of the police post (see the request spec); the fire units' tasks wait the fire time.
    const acks: { unit_id: string; s: number }[] = await t.ds.query(
      `SELECT a.unit_id, round(extract(epoch FROM d.due_at - a.dispatched_at))::int AS s FROM deadline d JOIN assignment a ON a.id = d.assignment_id
        WHERE d.incident_id = $1 AND d.kind = 'ack' ORDER BY a.unit_id`,
      [incident.id],
    );
    expect(Object.fromEntries(acks.map((a) => [a.unit_id, a.s]))).toEqual({ RE1: 60, RE2: 60, RL1: 60 });
    await t.settle(async () => (await t.ds.query(`SELECT 1 FROM agency_request WHERE incident_id = $1 AND agency = 'police'`, [incident.id])).length === 1);
  });

  it('replays its first day (across the DST change) as a drill in its own world, with an after-action report', async () => {
    const started = await t.request('POST', '/api/drills', { scenario: 'riverton', day: '2024-11-03', speed: 'max', policy: 'nearest', seed: 1 });
    expect(started.status).toBe(201);
    const done = await t.app.get(DrillService).whenDone(started.body.id);
    expect(done.state).toBe('finished');
    // The day's four calls (00:50 CDT to 23:40 CST), placed in Riverton's chain, in the drill's own world.
    const incidents: { street_id: string; world: string }[] = await t.ds.query(
      `SELECT i.street_id, a.world FROM incident i JOIN assignment a ON a.incident_id = i.id WHERE i.drill_id = $1`,
      [started.body.id],
    );
    expect(incidents.length).toBeGreaterThan(0);
    for (const i of incidents) {
      expect(i.street_id).toMatch(/^riverton-d[12]-/);
      expect(i.world).toBe(started.body.id);
    }
    const report = await t.request('GET', `/api/drills/${started.body.id}/report.json`);
    expect(report.status).toBe(200);
    expect(report.body.overall.calls).toBe(4);
    // The live fleet was never touched.
    const [live] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = 'live' AND incident_id IN (SELECT id FROM incident WHERE drill_id = $1)`, [started.body.id]);
    expect(live.n).toBe(0);
  });

  it('a call outside Riverton by more than MAX_OUTSIDE_METRES is refused, naming the coordinates', async () => {
    const r = await t.request('POST', '/api/calls', { type: 'Medical', priority: 2, lat: 37.79, lon: -122.4 });
    expect(r.status).toBe(422);
  });
});
