import { haversineMetres } from '@cad/routing';
import { deviceRequest } from '../testing/device-request';
import { proposeFirstRecommended } from '../testing/move-ups';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a unit's fix at its old place 30 s ago, the move-up started, then
 * three fixes at the new station sent within 0.2 s with device stamps −23 s, −11 s and +1 s: the track
 * "re-established" (the 20 s span was read from the device's own stamps) and the move was marked
 * arrived by `system:avl`, two of its fixes stamped before the move set off. Now a run must span
 * `AVL_REESTABLISH_S` in receipt times too, and a run that began before the move set off does not
 * arrive it. Its twin: the same fixes really sent over 21 s re-establish the track and arrive the move.
 */
describe('a move-up is not arrived by a burst of back-dated fixes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('moveup-avl-burst', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0', ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a burst stamped −23 s, −11 s, +1 s neither re-establishes nor arrives; the same fixes sent over 21 s do', async () => {
    const move = await proposeFirstRecommended(t);
    const crew = await t.signIn(move.unitId.toLowerCase());
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/consent`)).status).toBe(200);
    const [station]: { lat: number; lon: number }[] = await t.ds.query(`SELECT lat, lon FROM station WHERE id = $1`, [move.toStationId]);
    const [home]: { lat: number; lon: number }[] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    // The old place: 2 km from the new station, toward the unit's home (past 200 km/h in any of the spans below).
    const k = 2000 / haversineMetres(station.lat, station.lon, home.lat, home.lon);
    const old = { lat: station.lat + (home.lat - station.lat) * k, lon: station.lon + (home.lon - station.lon) * k };
    const device = { id: move.unitId.toLowerCase(), clockAheadMs: 0 };
    const fix = async (p: { lat: number; lon: number }, stampS: number) => {
      const r = await deviceRequest(t, device, 'POST', `/api/units/${move.unitId}/position`, { ...p, at: new Date(Date.now() + stampS * 1000).toISOString(), accuracyM: 8 }, crew);
      expect(r.status).toBe(200);
      return r.body as { verdict: string; used: boolean };
    };
    const status = async () => ((await t.ds.query(`SELECT status FROM move_up WHERE id = $1`, [move.id])) as { status: string }[])[0].status;
    const unitAt = async () => ((await t.ds.query(`SELECT lat, lon FROM unit WHERE world = 'live' AND id = $1`, [move.unitId])) as { lat: number; lon: number }[])[0];

    expect((await fix(old, -30)).verdict).toBe('accepted');
    expect((await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, crew)).body).toMatchObject({ status: 'moving' });
    const burst = [];
    for (const s of [-23, -11, 1]) burst.push((await fix(station, s)).verdict);
    expect(burst).toEqual(['implausible', 'implausible', 'implausible']);
    expect(await status()).toBe('moving');
    expect(haversineMetres((await unitAt()).lat, (await unitAt()).lon, old.lat, old.lon)).toBeLessThan(1);

    // Still at the old place (an accepted fix ends the run); then the crew really drives there and reports over 21 s.
    expect((await fix(old, 0)).verdict).toBe('accepted');
    const spread = [];
    for (const [i, wait] of [0, 10_500, 10_500].entries()) {
      await new Promise((r) => setTimeout(r, wait));
      spread.push((await fix({ lat: station.lat + i * 1e-5, lon: station.lon }, 0)).verdict);
    }
    expect(spread).toEqual(['implausible', 'implausible', 'reestablished']);
    expect(await status()).toBe('done');
    const events = await t.ds.query(`SELECT actor FROM incident_event WHERE type = 'moveup.done' AND payload->>'moveId' = $1`, [move.id]);
    expect(events).toEqual([{ actor: 'system:avl' }]);
  }, 60_000);
});
