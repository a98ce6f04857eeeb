import { METRES_PER_DEGREE_LAT } from '@cad/domain';
import { deviceRequest } from '../testing/device-request';
import { proposeFirstRecommended } from '../testing/move-ups';
import { startTestApp, TestApp } from '../testing/test-app';
import { AVL_ARRIVAL_ACTOR } from './move-up-arrival-by-avl';

/** Metres north as degrees of latitude. */
const north = (m: number) => m / METRES_PER_DEGREE_LAT;

/**
 * A unit moving up reports its arrival with its crew's button; its AVL shows it too. A fix the track
 * trusts, taken after the unit set off, within MOVE_UP_ARRIVAL_RADIUS_M (75 m, accuracy included) of
 * the new station marks the move arrived through the same path as the button (`moveup.done`). Hostile
 * twins at the station, none of which arrives it: a fix from before it set off, a stale one (older
 * than its current fix), an impossible jump, a coarse one (800 m accuracy), and one whose accuracy
 * circle reaches past the radius; nor does a trusted fix 150 m away.
 */
describe('a move-up arrival seen in AVL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('moveup-avl-arrival', { MOVE_UP_MODE: 'apply', MOVE_UP_MIN_NET_GAIN: '0', MOVE_UP_SWEEP_S: '0', ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('arrives the move on a trusted fix at the station and on none of its hostile twins', async () => {
    const move = await proposeFirstRecommended(t);
    const crew = await t.signIn(move.unitId.toLowerCase());
    expect((await t.request('POST', `/api/move-ups/${move.id}/confirm`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/consent`)).status).toBe(200);
    expect((await t.request('POST', `/api/move-ups/${move.id}/acknowledge`, undefined, crew)).body).toMatchObject({ status: 'moving' });
    // The unit set off five minutes ago (so its fixes can be spaced as a drive is, without waiting).
    await t.ds.query(`UPDATE move_up SET started_at = now() - interval '5 minutes' WHERE id = $1`, [move.id]);
    const [{ started_at: startedAt }]: { started_at: Date }[] = await t.ds.query(`SELECT started_at FROM move_up WHERE id = $1`, [move.id]);
    const [station]: { lat: number; lon: number }[] = await t.ds.query(`SELECT lat, lon FROM station WHERE id = $1`, [move.toStationId]);
    const device = { id: `phone-${move.unitId}`, clockAheadMs: 0 };
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const fix = async (metresNorth: number, at: string, accuracyM: number) => {
      const r = await deviceRequest(t, device, 'POST', `/api/units/${move.unitId}/position`, { lat: station.lat + north(metresNorth), lon: station.lon, at, accuracyM }, crew);
      expect(r.status).toBe(200);
      return r.body as { verdict: string; used: boolean };
    };
    const status = async () => ((await t.ds.query(`SELECT status FROM move_up WHERE id = $1`, [move.id])) as { status: string }[])[0].status;

    // At the station before it set off (driving past earlier): trusted, but says nothing about this move.
    expect(await fix(5, new Date(startedAt.getTime() - 60_000).toISOString(), 8)).toMatchObject({ verdict: 'accepted', used: true });
    expect(await status()).toBe('moving');
    // 150 m away after setting off: trusted, not there yet.
    expect(await fix(150, ago(120), 8)).toMatchObject({ verdict: 'accepted', used: true });
    expect(await status()).toBe('moving');
    // At the station, but: older than the current fix (stale), ...
    expect(await fix(5, ago(125), 8)).toMatchObject({ verdict: 'late', used: false });
    // ... 145 m in one second (impossible), ...
    expect(await fix(5, ago(119), 8)).toMatchObject({ verdict: 'implausible', used: false });
    // ... or 800 m accuracy (coarse).
    expect(await fix(5, ago(60), 800)).toMatchObject({ verdict: 'coarse', used: false });
    expect(await status()).toBe('moving');
    // Trusted and 40 m from the station, but 60 m accuracy: it may be 100 m away.
    expect(await fix(40, ago(50), 60)).toMatchObject({ verdict: 'accepted', used: true });
    expect(await status()).toBe('moving');

    // A trusted fix 20 m from the station, 8 m accuracy: arrived, as the crew's button would say.
    const at = ago(40);
    expect(await fix(20, at, 8)).toMatchObject({ verdict: 'accepted', used: true });
    const [done] = await t.ds.query(`SELECT status, ended_at FROM move_up WHERE id = $1`, [move.id]);
    expect(done.status).toBe('done');
    // At the fix time (corrected by the phone's clock offset, which is about 0 here).
    expect(Math.abs(done.ended_at.getTime() - new Date(at).getTime())).toBeLessThan(1000);
    const events = await t.ds.query(`SELECT type, actor FROM incident_event WHERE type = 'moveup.done' AND payload->>'moveId' = $1`, [move.id]);
    expect(events).toEqual([{ type: 'moveup.done', actor: AVL_ARRIVAL_ACTOR }]);
    // The unit stands at its station (as after the button); a later fix there changes nothing, and the crew's button now is 409 done.
    const [unit] = await t.ds.query(`SELECT lat, lon FROM unit WHERE world = 'live' AND id = $1`, [move.unitId]);
    expect(unit).toEqual({ lat: station.lat, lon: station.lon });
    expect(await fix(3, ago(30), 8)).toMatchObject({ verdict: 'accepted', used: true });
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'moveup.done' AND payload->>'moveId' = $1`, [move.id]))[0].n).toBe(1);
    const button = await t.request('POST', `/api/move-ups/${move.id}/arrived`, undefined, crew);
    expect(button.status).toBe(409);
    expect(button.body.message).toContain('done');
  });
});
