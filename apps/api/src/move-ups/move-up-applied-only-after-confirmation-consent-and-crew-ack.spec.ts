import { proposeFirstRecommended } from '../testing/move-ups';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Under MOVE_UP_MODE=apply a move-up is carried out only once the dispatcher confirmed it, the owning
 * district consented and the crew acknowledged, each from its own post (another post gets 403); every
 * step is a `moveup.*` event; confirming twice changes nothing; a step after the move ended is 409; the
 * same unit is not moved again within the hour. (MOVE_UP_MIN_NET_GAIN=0: any recommended move that does
 * not lose coverage passes, so the scenario does not depend on how much one move gains on this data;
 * MOVE_UP_SWEEP_S=0: the worker never sweeps by itself here.)
 */
describe('a move-up under apply', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('moveup-apply', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is applied only after confirmation, district consent and crew acknowledgement, and recorded as events', async () => {
    const move: any = await proposeFirstRecommended(t);
    expect(move).toMatchObject({ status: 'proposed', dispatcher: null, districtConsented: false, crewAcknowledged: false, world: 'live' });
    expect(move.callsign).toBeTruthy();
    expect(move.toStationName).toBeTruthy();
    const [before] = await t.ds.query(`SELECT station_id, home_street_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(before.station_id).toBe(move.fromStationId);

    // Listed for the city and for the owning district's post.
    expect((await t.request('GET', '/api/move-ups')).body.map((m: any) => m.id)).toContain(move.id);
    const [district] = await t.ds.query(`SELECT username FROM app_user WHERE role = 'district_dispatcher' AND jurisdiction_id = $1`, [move.owningDistrictId]);
    const [other] = await t.ds.query(`SELECT username FROM app_user WHERE role = 'district_dispatcher' AND jurisdiction_id <> $1 ORDER BY username LIMIT 1`, [move.owningDistrictId]);
    const districtToken = await t.signIn(district.username);
    const otherDistrict = await t.signIn(other.username);
    const crew = await t.signIn(move.unitId.toLowerCase());
    const [{ id: otherUnit }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND id <> $1 AND id ~ '^E[0-9]+$' ORDER BY id LIMIT 1`, [move.unitId]);
    const otherCrew = await t.signIn(otherUnit.toLowerCase());
    expect((await t.request('GET', '/api/move-ups', undefined, districtToken)).body.map((m: any) => m.id)).toContain(move.id);
    expect((await t.request('GET', '/api/move-ups', undefined, crew)).body.map((m: any) => m.id)).toEqual([move.id]);
    expect((await t.request('GET', '/api/move-ups', undefined, otherCrew)).body).toEqual([]);

    // Confirmation: the city commander holds both ends; twice is the same.
    const confirmed = await t.request('POST', `/api/move-ups/${move.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'proposed', dispatcher: 'confirmed' });
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).body).toMatchObject({ status: 'proposed', dispatcher: 'confirmed' });
    // A crew cannot confirm; another district cannot consent; a dispatcher and another unit's crew cannot acknowledge.
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`, undefined, crew)).status).toBe(403);
    const wrongDistrict = await t.request('POST', `/api/move-ups/${move.id}/consent`, undefined, otherDistrict);
    expect(wrongDistrict.status).toBe(403);
    expect(wrongDistrict.body.message).toContain(move.owningDistrictId);
    const notCrew = await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, otherCrew);
    expect(notCrew.status).toBe(403);
    expect(notCrew.body.message).toContain(move.unitId);
    expect((await t.request('POST', `/api/move-ups/${move.id}/acknowledge`)).status).toBe(403);

    // Consent: the unit's own district; still not moving without the crew.
    expect((await t.request('POST', `/api/move-ups/${move.id}/consent`, undefined, districtToken)).body).toMatchObject({ status: 'proposed', districtConsented: true });
    const [still] = await t.ds.query(`SELECT station_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(still.station_id).toBe(move.fromStationId);

    // The crew acknowledges: the move is applied, the unit's home is the target station.
    const moving = await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, crew);
    expect(moving.status).toBe(200);
    expect(moving.body).toMatchObject({ status: 'moving', crewAcknowledged: true });
    expect(moving.body.startedAt).toBeTruthy();
    const [station] = await t.ds.query(`SELECT lat, lon, street_id FROM station WHERE id = $1`, [move.toStationId]);
    const [after] = await t.ds.query(`SELECT station_id, home_lat, home_lon, home_street_id FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(after).toEqual({ station_id: move.toStationId, home_lat: station.lat, home_lon: station.lon, home_street_id: station.street_id });

    const done = await t.request('POST', `/api/move-ups/${move.id}/arrived`, undefined, crew);
    expect(done.body).toMatchObject({ status: 'done' });
    const [at] = await t.ds.query(`SELECT lat, lon FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(at).toEqual({ lat: station.lat, lon: station.lon });

    const events = await t.ds.query(`SELECT type, actor, unit_id, jurisdiction_ids FROM incident_event WHERE type LIKE 'moveup.%' AND payload->>'moveId' = $1 ORDER BY id`, [move.id]);
    expect(events.map((e: any) => e.type)).toEqual(['moveup.proposed', 'moveup.confirmed', 'moveup.consented', 'moveup.acknowledged', 'moveup.started', 'moveup.done']);
    expect(events.map((e: any) => e.actor)).toEqual(['commander', 'commander', district.username, move.unitId.toLowerCase(), move.unitId.toLowerCase(), move.unitId.toLowerCase()]);
    expect(events[0].jurisdiction_ids).toContain(move.owningDistrictId);

    // Ended: a late confirmation is 409 naming its status.
    const late = await t.request('POST', `/api/move-ups/${move.id}/confirm`);
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('done');

    // The same unit again within the hour (to another station, or straight back): refused, and nothing recorded.
    const [{ id: elsewhere }] = await t.ds.query(`SELECT id FROM station WHERE id <> $1 ORDER BY id LIMIT 1`, [move.toStationId]);
    const again = await t.request('POST', '/api/move-ups', { unitId: move.unitId, toStationId: move.fromStationId ?? elsewhere });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/moved 1 time\(s\) in the last hour \(at most 1\)/);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM move_up WHERE unit_id = $1`, [move.unitId]))[0].n).toBe(1);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const badUnit = await t.request('POST', '/api/move-ups', { unitId: 'E 38!', toStationId: 'st-16' });
    expect(badUnit.status).toBe(400);
    expect(JSON.stringify(badUnit.body.message)).toContain('unitId');
    const noStation = await t.request('POST', '/api/move-ups', { unitId: 'E38' });
    expect(noStation.status).toBe(400);
    expect(JSON.stringify(noStation.body.message)).toContain('toStationId');
    const badWorld = await t.request('POST', '/api/move-ups', { unitId: 'E38', toStationId: 'st-16', world: 'mars' });
    expect(badWorld.status).toBe(400);
    expect(JSON.stringify(badWorld.body.message)).toContain('world');
    const badId = await t.request('POST', '/api/move-ups/not-a-move/confirm');
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body.message)).toContain('id');
    expect((await t.request('POST', '/api/move-ups/00000000-0000-4000-8000-000000000000/confirm')).status).toBe(404);
    const noReason = await t.request('POST', '/api/move-ups/00000000-0000-4000-8000-000000000000/refuse', {});
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.message)).toContain('reason');
    const unknownStation = await t.request('POST', '/api/move-ups', { unitId: 'E38', toStationId: 'st-nowhere' });
    expect(unknownStation.status).toBe(404);
  });
});
