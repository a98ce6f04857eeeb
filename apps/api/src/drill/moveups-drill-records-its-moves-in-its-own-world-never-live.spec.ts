import { startTestApp, TestApp } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * A drill under the `moveups` policy carries its move-ups out through the live move-ups service, in its
 * own world and on its simulated clock: each move is a `move_up` row of the drill's world, its steps are
 * `moveup.*` events there (proposed by the sweep, agreed by the simulated dispatcher, district and crew,
 * arrived), stamped with simulated instants inside the replayed span, and the run's tally is read from
 * those rows. Nothing is proposed, moved or recorded in `live` (the city itself only recommends here),
 * and a drill under another policy makes no move at all.
 */
describe('a moveups drill records its moves in its own world and never in live', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('moveups-drill-own-world');
  });
  afterAll(async () => {
    await t.close();
  });

  const liveMoves = async () => {
    const [{ rows }] = await t.ds.query(`SELECT count(*)::int AS rows FROM move_up WHERE world = 'live'`);
    const [{ events }] = await t.ds.query(`SELECT count(*)::int AS events FROM incident_event WHERE world = 'live' AND type LIKE 'moveup.%'`);
    return { rows, events };
  };
  const liveUnits = async () => JSON.stringify(await t.ds.query(`SELECT id, status, lat, lon, station_id, home_lat, home_lon, version FROM unit WHERE world = 'live' ORDER BY id`));

  it('writes moveup.* events at simulated times in the drill world, its tally from them, and none in live', async () => {
    const liveBefore = await liveMoves();
    const unitsBefore = await liveUnits();
    const drills = t.app.get(DrillService);
    const r = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 'max', policy: 'moveups', seed: 42, limit: 25 });
    expect(r.status).toBe(201);
    const done = await drills.whenDone(r.body.id);
    expect(done.state).toBe('finished');
    const world = done.id;

    const rows: { status: string; proposed_by: string; started_at: Date | null; confirmed_by: string | null; consented_by: string | null; acknowledged_by: string | null }[] =
      await t.ds.query(`SELECT status, proposed_by, started_at, confirmed_by, consented_by, acknowledged_by FROM move_up WHERE world = $1`, [world]);
    expect(rows.length).toBeGreaterThan(0);
    const started = rows.filter((x) => x.started_at);
    expect(started.length).toBeGreaterThan(0);
    // Set off only with the simulated dispatcher's confirmation, the district's consent and the crew's acknowledgement.
    for (const s of started) expect(s).toMatchObject({ confirmed_by: 'drill:dispatcher', consented_by: 'drill:district', acknowledged_by: 'drill:crew' });
    for (const x of rows) expect(x.proposed_by).toBe('system:move-ups');

    const events: { type: string; at: Date; actor: string }[] = await t.ds.query(`SELECT type, at, actor FROM incident_event WHERE world = $1 AND type LIKE 'moveup.%' ORDER BY id`, [world]);
    const types = new Set(events.map((e) => e.type));
    for (const type of ['moveup.proposed', 'moveup.confirmed', 'moveup.consented', 'moveup.acknowledged', 'moveup.started']) expect(types).toContain(type);
    // Simulated time (the replayed day), never the wall clock.
    const from = Date.parse(done.simStart);
    const to = Date.parse(done.simTime) + 1000;
    for (const e of events) {
      expect(e.at.getTime()).toBeGreaterThanOrEqual(from);
      expect(e.at.getTime()).toBeLessThanOrEqual(to);
    }
    // The run's tally is the rows' story.
    expect(done.moveUps).toMatchObject({
      proposed: rows.length,
      started: started.length,
      done: rows.filter((x) => x.status === 'done').length,
      cancelled: rows.filter((x) => x.status === 'cancelled').length,
      refused: rows.filter((x) => x.status === 'refused').length,
    });
    expect(done.moveUps!.looks).toBeGreaterThan(0);
    // A finished move's unit reached its station, in the drill's world.
    expect(events.filter((e) => e.type === 'moveup.done').length).toBe(done.moveUps!.done);

    // Hostile twin: nothing of it in live, and a drill under another policy moves nothing.
    expect(await liveMoves()).toEqual(liveBefore);
    expect(await liveUnits()).toBe(unitsBefore);
    const other = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 'max', policy: 'optimised', seed: 42, limit: 25 });
    const otherDone = await drills.whenDone(other.body.id);
    expect(otherDone.state).toBe('finished');
    expect(otherDone.moveUps).toBeNull();
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM move_up WHERE world = $1`, [otherDone.id]);
    expect(n).toBe(0);
    expect(await liveMoves()).toEqual(liveBefore);

    // The same drill again gives the same event log (the moves' cancellations by dispatch are in it).
    const again = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 'max', policy: 'moveups', seed: 42, limit: 25 });
    const againDone = await drills.whenDone(again.body.id);
    expect(againDone.eventLogHash).toBe(done.eventLogHash);
    expect({ ...againDone.moveUps }).toEqual({ ...done.moveUps });
  }, 600000);
});
