import { proposeFirstRecommended } from '../testing/move-ups';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * The hostile twins of a move-up under apply: a unit that cleared an incident minutes ago is never
 * moved (crew rest, restocking: MOVE_UP_MIN_SINCE_CLEARED_S); a move whose unit is dispatched is
 * cancelled in the dispatching transaction (trigger `move_up_cancel_on_dispatch`), a started one puts
 * the unit's home station back, it is recorded as `moveup.cancelled` naming the incident, and a
 * confirmation after that is 409; so is a move whose unit is taken out of service. (MOVE_UP_MIN_NET_GAIN=0 so the scenario does not depend on how much
 * one move gains on this data.)
 */
describe('a move-up under apply, hostile twins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('moveup-twins', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('never moves a unit that cleared minutes ago', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7930, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const t0 = Date.now() - 120_000;
    for (const [k, status] of (['acknowledged', 'en_route', 'on_scene', 'cleared'] as const).entries()) {
      expect((await t.request('PATCH', `/api/assignments/${a.id}`, { status, at: new Date(t0 + (k + 1) * 20_000).toISOString() })).status).toBe(200);
    }
    const [unit] = await t.ds.query(`SELECT station_id, status FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(['available', 'returning']).toContain(unit.status);
    const [{ id: to }] = await t.ds.query(`SELECT id FROM station WHERE id IS DISTINCT FROM $1 ORDER BY id LIMIT 1`, [unit.station_id]);
    const r = await t.request('POST', '/api/move-ups', { unitId: a.unitId, toStationId: to });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(new RegExp(`${a.unitId} cleared \\d+ s ago \\(not moved within 900 s of clearing\\)`));
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM move_up`))[0].n).toBe(0);
  });

  it('is cancelled the moment its unit is dispatched, and the unit keeps its home station', async () => {
    const move: any = await proposeFirstRecommended(t);
    expect(move).toMatchObject({ status: 'proposed', dispatcher: null, districtConsented: false, crewAcknowledged: false, world: 'live' });
    const [home] = await t.ds.query(`SELECT station_id, home_lat, home_lon, home_street_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    const [district] = await t.ds.query(`SELECT username FROM app_user WHERE role = 'district_dispatcher' AND jurisdiction_id = $1`, [move.owningDistrictId]);
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/consent`, undefined, await t.signIn(district.username))).status).toBe(200);
    const moving = await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, await t.signIn(move.unitId.toLowerCase()));
    expect(moving.body.status).toBe('moving');
    expect((await t.ds.query(`SELECT station_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]))[0].station_id).toBe(move.toStationId);

    // An incident needs the unit: dispatch sends it (automatically, or by hand when the automatic
    // dispatch chose others), and in that same transaction its move ends.
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7990, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    if (!incident.assignments.some((x: any) => x.unitId === move.unitId)) {
      expect((await t.request('POST', `/api/incidents/${incident.id}/assignments`, { unitId: move.unitId })).status).toBe(201);
    }

    const after = (await t.request('GET', '/api/move-ups?status=all')).body.find((m: any) => m.id === move.id);
    expect(after).toMatchObject({ status: 'cancelled', incidentId: incident.id, reason: `needed for incident ${incident.id}` });
    const [restored] = await t.ds.query(`SELECT station_id, home_lat, home_lon, home_street_id, status FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(restored).toEqual({ ...home, status: 'dispatched' });
    const [cancelled] = await t.ds.query(`SELECT incident_id, payload FROM incident_event WHERE type = 'moveup.cancelled' AND payload->>'moveId' = $1`, [move.id]);
    expect(cancelled.incident_id).toBe(incident.id);
    expect(cancelled.payload).toMatchObject({ status: 'cancelled', unitId: move.unitId, incidentId: incident.id, reason: null });

    const late = await t.request('POST', `/api/move-ups/${move.id}/confirm`);
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('cancelled');
    expect((await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, await t.signIn(move.unitId.toLowerCase()))).status).toBe(409);
  });

  it('is cancelled when its unit is taken out of service', async () => {
    const move: any = await proposeFirstRecommended(t);
    expect((await t.request('PATCH', `/api/units/${move.unitId}`, { status: 'out_of_service' })).status).toBe(200);
    const after = (await t.request('GET', '/api/move-ups?status=all')).body.find((m: any) => m.id === move.id);
    expect(after).toMatchObject({ status: 'cancelled', reason: 'unit out of service' });
    const [ev] = await t.ds.query(`SELECT actor FROM incident_event WHERE type = 'moveup.cancelled' AND payload->>'moveId' = $1`, [move.id]);
    expect(ev.actor).toBe('commander');
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).status).toBe(409);
  });
});
