import { DEFAULT_MOVE_UP_POLICY } from '@cad/domain';
import { MoveUpProposer } from './move-up-proposer';
import { MoveUpsService } from './move-ups.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Who proposes move-ups. Under `recommend` (the default) nothing is ever proposed: the coverage report
 * still recommends moves, the worker's sweep proposes none, and a dispatcher's proposal is refused (409).
 * Under `apply` the sweep proposes the recommended moves that pass the policy (by itself a few seconds
 * after a dispatch, and when a drill or a test calls it), and a proposal nobody refused counts as
 * confirmed once the dispatcher's timeout (MOVE_UP_CONFIRM_TIMEOUT_S) ran out. (MOVE_UP_MIN_NET_GAIN=0 so
 * the scenario does not depend on how much one move gains on this data.)
 */
describe('move-up proposals', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('are never made under recommend', async () => {
    t = await startTestApp('moveup-recommend');
    const coverage = (await t.request('GET', '/api/coverage')).body;
    expect(coverage.moveUps.length).toBeGreaterThan(0);
    const swept = await t.app.get(MoveUpProposer).sweep('live', new Date());
    expect(swept).toEqual({ timedOut: [], proposed: [] });
    const m = coverage.moveUps[0];
    const byHand = await t.request('POST', '/api/move-ups', { unitId: m.unitId, toStationId: m.toStationId });
    expect(byHand.status).toBe(409);
    expect(byHand.body.message).toContain('recommended only');
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM move_up`))[0].n).toBe(0);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type LIKE 'moveup.%'`))[0].n).toBe(0);

    // A drill comparing policies runs its own world under `apply` while the city only recommends.
    const drill = 'drill-2017-01-01-compare-s1-test';
    await t.ds.query(
      `INSERT INTO unit (world, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, lat, lon, status, out_of_service_by, version, updated_at)
       SELECT $1, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, lat, lon, status, out_of_service_by, version, updated_at FROM unit WHERE world = 'live'`,
      [drill],
    );
    const policy = { ...DEFAULT_MOVE_UP_POLICY, mode: 'apply' as const, minNetGain: 0 };
    const inDrill = await t.app.get(MoveUpProposer).sweep(drill, new Date('2017-01-01T10:00:00Z'), policy);
    expect(inDrill.proposed.length).toBeGreaterThan(0);
    const applied = await t.app.get(MoveUpsService).simulatedAgreement(inDrill.proposed[0].id, new Date('2017-01-01T10:01:00Z'));
    expect(applied.status).toBe('moving');
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM move_up WHERE world = 'live'`))[0].n).toBe(0);
  });

  it('are made by the worker under apply, and confirmed by the dispatcher timeout when nobody refused', async () => {
    t = await startTestApp('moveup-sweep', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_CONFIRM_TIMEOUT_S: '60', MOVE_UP_SWEEP_S: '0' });
    const proposer = t.app.get(MoveUpProposer);
    const t0 = new Date();
    const first = await proposer.sweep('live', t0);
    expect(first.timedOut).toEqual([]);
    expect(first.proposed.length).toBeGreaterThan(0);
    for (const p of first.proposed) expect(p).toMatchObject({ status: 'proposed', dispatcher: null, confirmTimeoutS: 60 });
    const ids = first.proposed.map((p) => p.id);
    const actors = await t.ds.query(`SELECT DISTINCT actor FROM incident_event WHERE type = 'moveup.proposed'`);
    expect(actors).toEqual([{ actor: 'system:move-ups' }]);

    // They time out into confirmation 60 s on, not before.
    expect((await proposer.sweep('live', new Date(t0.getTime() + 59_000))).timedOut).toEqual([]);
    const later = await proposer.sweep('live', new Date(t0.getTime() + 61_000));
    expect(later.timedOut.map((m) => m.id).sort()).toEqual([...ids].sort());
    for (const m of later.timedOut) expect(m).toMatchObject({ status: 'proposed', dispatcher: 'timeout' });
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'moveup.confirmed' AND actor = 'system:move-ups'`))[0].n).toBe(ids.length);
    // A timeout-confirmed move still waits for its district and crew; the dispatcher may still refuse it, and then it is over.
    const refused = await t.request('POST', `/api/move-ups/${ids[0]}/refuse`, { reason: 'crew training at quarters' });
    expect(refused.body).toMatchObject({ status: 'refused', reason: 'dispatcher: crew training at quarters' });
    expect((await t.request('POST', `/api/move-ups/${ids[0]}/confirm`)).status).toBe(409);

    // A drill's world has its own moves: proposed on its own fleet at simulated time, agreed by its
    // simulated dispatcher, district and crew, and the live fleet untouched.
    const drill = 'drill-2017-01-01-moveups-s1-test';
    await t.ds.query(
      `INSERT INTO unit (world, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, lat, lon, status, out_of_service_by, version, updated_at)
       SELECT $1, id, callsign, unit_type, capabilities, agency, station_id, home_street_id, home_lat, home_lon, lat, lon, status, out_of_service_by, version, updated_at FROM unit WHERE world = 'live'`,
      [drill],
    );
    const sim = new Date('2017-01-01T10:00:00Z');
    const inDrill = (await proposer.sweep(drill, sim)).proposed;
    expect(inDrill.length).toBeGreaterThan(0);
    expect(inDrill.every((m) => m.world === drill)).toBe(true);
    const moves = t.app.get(MoveUpsService);
    const applied = await moves.simulatedAgreement(inDrill[0].id, new Date(sim.getTime() + 60_000));
    expect(applied).toMatchObject({ status: 'moving', dispatcher: 'confirmed', districtConsented: true, crewAcknowledged: true, startedAt: '2017-01-01T10:01:00.000Z' });
    const [drillUnit] = await t.ds.query(`SELECT station_id FROM unit WHERE world = $1 AND id = $2`, [drill, applied.unitId]);
    const [liveUnit] = await t.ds.query(`SELECT station_id FROM unit WHERE world = 'live' AND id = $1`, [applied.unitId]);
    expect(drillUnit.station_id).toBe(applied.toStationId);
    expect(liveUnit.station_id).toBe(applied.fromStationId);
    const drillEvents = await t.ds.query(`SELECT type, world, actor FROM incident_event WHERE payload->>'moveId' = $1 ORDER BY id`, [applied.id]);
    expect(drillEvents).toEqual([
      { type: 'moveup.proposed', world: drill, actor: 'system:move-ups' },
      { type: 'moveup.confirmed', world: drill, actor: 'drill:dispatcher' },
      { type: 'moveup.consented', world: drill, actor: 'drill:district' },
      { type: 'moveup.acknowledged', world: drill, actor: 'drill:crew' },
      { type: 'moveup.started', world: drill, actor: 'drill:crew' },
    ]);
    expect((await t.request('GET', `/api/move-ups?world=${drill}`)).body.map((m: any) => m.id)).toContain(applied.id);
  });

  it('are made by the worker a few seconds after a dispatch leaves a gap', async () => {
    t = await startTestApp('moveup-after-dispatch', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '86400' });
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM move_up`))[0].n).toBe(0);
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7990, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.assignments.length).toBeGreaterThan(0);
    const proposed = await waitFor(async () => {
      const rows = await t.ds.query(`SELECT unit_id, proposed_by, status FROM move_up`);
      return rows.length ? rows : null;
    }, 60000, 'a move-up proposed after the dispatch');
    for (const r of proposed) expect(r).toMatchObject({ proposed_by: 'system:move-ups', status: 'proposed' });
    // Never one of the units just sent.
    const sent = new Set(incident.assignments.map((a: any) => a.unitId));
    expect(proposed.filter((r: any) => sent.has(r.unit_id))).toEqual([]);
  });
});
