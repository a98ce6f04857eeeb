import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callsBetween, loadScenario } from '@cad/db';
import { ClosuresService } from '../closures/closures.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * A drill scenario closes roads at given simulated times (here: the streets around the day's first
 * call, flooded from the start). The closure applies to that drill's routing only: the drill's
 * incident inside the flooded area is served beside the flood (units stop at the nearest point the
 * open roads reach, issue 18), while a live call at the same spot, taken while the drill runs, is
 * dispatched to the spot itself. When the drill ends its closures are lifted,
 * and the after-action report says what each did.
 */
describe('a drill scenario road closure', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp('drill-closure');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-scenario-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes roads for the drill only, on its clock, and is lifted when the drill ends', async () => {
    const sf = loadScenario('sf-north', t.config.DATA_DIR, t.config.DATA_TIME_ZONE);
    const [first] = callsBetween(sf, '2017-01-01');
    const d = 0.0008; // about 90 m north-south, 70 m east-west
    const square = [[first.lon - d, first.lat - d], [first.lon + d, first.lat - d], [first.lon + d, first.lat + d], [first.lon - d, first.lat + d], [first.lon - d, first.lat - d]];
    const inside = await t.ds.query(
      `SELECT id FROM unit WHERE world = 'live' AND home_lat BETWEEN $1 AND $2 AND home_lon BETWEEN $3 AND $4`,
      [first.lat - d, first.lat + d, first.lon - d, first.lon + d],
    );
    const file = path.join(dir, 'flooded-first-call.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'flooded-first-call',
        calls: { format: 'sf', file: t.config.dataFile(t.config.CALLS_FILE) },
        // The drill's own fleet: units based inside the block (AM28 in the data) start the drill 1 km north
        // of it (scenario starting positions), so no unit of the drill is inside the flood. The live ones stay home.
        units: inside.map((u: { id: string }) => ({ unitId: u.id, lat: first.lat + 0.009, lon: first.lon })),
        closures: [{ at: new Date(first.received.getTime() - 3600_000).toISOString(), until: null, lat: first.lat, lon: first.lon, geometry: { type: 'Polygon', coordinates: [square] }, note: 'flooded block' }],
      }),
    );
    const drills = t.app.get(DrillService);
    const closures = t.app.get(ClosuresService);
    // At 20x the first call comes 1.5 s after the start; the closure opens at the start.
    const run = await drills.start({ scenario: file, day: '2017-01-01', speed: 20, limit: 2 });
    const opened = await waitFor(async () => {
      const v = drills.get(run.id).view();
      return v.closureLog[0]?.state === 'open' ? v.closureLog[0] : null;
    }, 10000, 'the scenario closure to open');
    drills.pause(run.id);
    expect(opened.closedEdges).toBeGreaterThan(4);
    expect(opened.openedAt).toBe(run.simStart);

    // Live routing is untouched; the drill's own network has the closed edges.
    expect((await closures.networkFor(null)).closedEdgeIds()).toEqual([]);
    expect((await closures.networkFor(run.id)).closedEdgeIds()).toHaveLength(opened.closedEdges);
    expect((await t.request('GET', '/api/road-closures')).body).toEqual([]);
    // Consoles list it with the drill's id (drawn as an exercise closure), and heard it open.
    expect((await t.request('GET', '/api/road-closures?include=drills')).body).toEqual([expect.objectContaining({ drillId: run.id, reason: 'flooded block' })]);
    const [{ n: heard }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'road.closed' AND payload->>'drillId' = $1`, [run.id]);
    expect(heard).toBe(1);

    // A live call at the very spot is dispatched by road, with finite ETAs.
    const live = await t.request('POST', '/api/calls', { type: first.type, priority: 2, lat: first.lat, lon: first.lon, callNumber: 'live-at-flooded-spot' });
    expect(live.status).toBe(202);
    const liveIncident = await t.incidentOf(live.body.id);
    expect(liveIncident.exercise).toBe(false);
    expect(liveIncident.assignments.length).toBeGreaterThan(0);
    for (const a of liveIncident.assignments) expect(a.etaSeconds).toEqual(expect.any(Number));

    drills.setSpeed(run.id, 'max');
    drills.resume(run.id);
    const done = await drills.whenDone(run.id);
    expect(done.state).toBe('finished');

    // The drill's incident inside the flooded block is not stranded: its units drive to a point
    // outside the flood (the end of their routes) and walk the rest.
    const [flooded] = await t.ds.query(
      `SELECT i.id, i.last_error, (SELECT count(*)::int FROM assignment a WHERE a.incident_id = i.id) AS units
         FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.call_number = $1`,
      [`${run.id}:${first.externalId}`],
    );
    expect(flooded.units).toBeGreaterThan(0);
    expect(flooded.last_error ?? '').not.toMatch(/reach the incident by road/);
    const [{ route }] = await t.ds.query(`SELECT route FROM assignment WHERE incident_id = $1 ORDER BY dispatched_at LIMIT 1`, [flooded.id]);
    const [endLon, endLat] = route.coordinates.at(-1);
    expect(Math.abs(endLon - first.lon) > d * 0.9 || Math.abs(endLat - first.lat) > d * 0.9).toBe(true);

    // Lifted at the end of the drill, on the drill's clock, and reported.
    expect(done.closureLog[0]).toMatchObject({ state: 'lifted', liftedAt: done.simTime });
    const [{ n: open }] = await t.ds.query(`SELECT count(*)::int AS n FROM road_closure WHERE drill_id = $1 AND removed_at IS NULL`, [run.id]);
    expect(open).toBe(0);
    expect((await closures.networkFor(run.id)).closedEdgeIds()).toEqual([]);
    expect((await t.request('GET', '/api/road-closures?include=drills')).body).toEqual([]);
    const report = await t.request('GET', `/api/drills/${run.id}/report.json`);
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body.notes)).toContain(`${opened.closedEdges} road edges closed`);
  });
});
