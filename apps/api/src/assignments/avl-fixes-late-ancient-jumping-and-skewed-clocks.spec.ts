import { haversineMetres } from '@cad/routing';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a fix dated 2004 moved a unit; a 6.1 km jump in 30 s was accepted
 * (and the unit then dispatched at "ETA 0 s"); a phone clock 115 s fast froze the unit's correct
 * fixes for two minutes; a late fix was dropped and no history kept. Now every fix is kept with its
 * device, corrected and receive times, and only plausible, newer fixes move the unit.
 */
describe('AVL fixes: late, ancient, jumping, and from phones with wrong clocks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('avlfixes');
  });
  afterAll(async () => {
    await t.close();
  });

  const unitAt = async (id: string) => (await t.request('GET', '/api/units')).body.find((u: { id: string }) => u.id === id);
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  /** `km` kilometres north of a station (111.195 km per degree of latitude). */
  const north = (p: { lat: number; lon: number }, km: number) => ({ lat: p.lat + km / 111.195, lon: p.lon });

  it('keeps every fix in the history, and a late fix goes there without moving the unit back', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E02'`);
    const newer = await t.request('POST', '/api/units/E02/position', { ...north(home, 0.2), at: ago(10), accuracyM: 8, seq: 2 });
    expect(newer.body).toMatchObject({ verdict: 'accepted', used: true });
    const late = await t.request('POST', '/api/units/E02/position', { ...north(home, 0.1), at: ago(40), accuracyM: 12, seq: 1 });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ verdict: 'late', used: false, stale: true });
    const unit = await unitAt('E02');
    expect(unit.lat).toBeCloseTo(north(home, 0.2).lat, 9);
    expect(unit.fixAgeS).toBeGreaterThanOrEqual(9);
    const history = (await t.request('GET', '/api/units/E02/fixes')).body;
    expect(history.map((f: { seq: number }) => f.seq)).toEqual([2, 1]);
    expect(history[1]).toMatchObject({ verdict: 'late', accuracyM: 12 });
    for (const f of history) expect(new Date(f.receivedAt).getTime()).toBeGreaterThanOrEqual(new Date(f.at).getTime());
  });

  it('refuses a fix dated 2004 (GPS week rollover) and one in the future, naming at; the unit stays', async () => {
    const before = await unitAt('E13');
    const ancient = await t.request('POST', '/api/units/E13/position', { lat: 37.8, lon: -122.41, at: '2004-05-01T12:00:00Z' });
    expect(ancient.status).toBe(400);
    expect(ancient.body.message).toMatch(/^at \(2004-05-01T12:00:00.000Z\) is more than 24 hours old/);
    const future = await t.request('POST', '/api/units/E13/position', { lat: 37.8, lon: -122.41, at: new Date(Date.now() + 600_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/^at .* is in the future/);
    const after = await unitAt('E13');
    expect([after.lat, after.lon]).toEqual([before.lat, before.lon]);
  });

  it('flags a 6.1 km jump in 30 s and keeps the unit where it was; one bad fix does not lock out the good ones', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E28'`);
    expect((await t.request('POST', '/api/units/E28/position', { ...home, at: ago(60) })).body.verdict).toBe('accepted');
    const jump = await t.request('POST', '/api/units/E28/position', { ...north(home, -6.1), at: ago(30) });
    expect(jump.body).toMatchObject({ verdict: 'implausible', used: false });
    expect(jump.body.impliedKmh).toBeGreaterThan(700);
    const unit = await unitAt('E28');
    expect(haversineMetres(unit.lat, unit.lon, home.lat, home.lon)).toBeLessThan(1);
    // The next good fix near the track is taken at once.
    expect((await t.request('POST', '/api/units/E28/position', { ...north(home, 0.1), at: ago(20) })).body.verdict).toBe('accepted');
    expect((await unitAt('E28')).lat).toBeCloseTo(north(home, 0.1).lat, 9);
  });

  it('a run of consistent fixes re-establishes the track after a bad current fix', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E41'`);
    // The first fix is the bad one (4 km off); the unit is really at its station and keeps reporting there.
    expect((await t.request('POST', '/api/units/E41/position', { ...north(home, -4), at: ago(50) })).body.verdict).toBe('accepted');
    const verdicts = [];
    for (const [km, s] of [[0, 40], [0.05, 30], [0.1, 20], [0.15, 10]]) {
      verdicts.push((await t.request('POST', '/api/units/E41/position', { ...north(home, km), at: ago(s) })).body.verdict);
      // As a phone reporting live sends them: each fix received when it was taken (the run must span
      // AVL_REESTABLISH_S in receipt times too, so the test dates the run's first receipt back).
      await t.ds.query(`UPDATE avl_current SET run_since_received = run_since WHERE unit_id = 'E41' AND run_since IS NOT NULL`);
    }
    expect(verdicts).toEqual(['implausible', 'implausible', 'reestablished', 'accepted']);
    expect((await unitAt('E41')).lat).toBeCloseTo(north(home, 0.15).lat, 9);
  });

  it('hostile fixes: a claimed 100 km accuracy, a 3-second burst of agreeing jumps and a fix from 25 s ahead move nothing', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E10'`);
    expect((await t.request('POST', '/api/units/E10/position', { ...home, at: ago(30) })).body.verdict).toBe('accepted');
    // A 1.3 km jump whose claimed accuracy radius would excuse it.
    const coarse = await t.request('POST', '/api/units/E10/position', { ...north(home, 1.3), at: ago(29), accuracyM: 100_000 });
    expect(coarse.body).toMatchObject({ verdict: 'coarse', used: false });
    // Three agreeing fixes 2 km away within 3 s of each other: each a jump, and together still no track.
    const burst = [];
    for (const s of [12, 11, 10]) burst.push((await t.request('POST', '/api/units/E10/position', { ...north(home, 2), at: ago(s) })).body);
    expect(burst.map((b) => b.verdict)).toEqual(['implausible', 'implausible', 'implausible']);
    expect(burst.every((b) => b.used === false)).toBe(true);
    expect(haversineMetres((await unitAt('E10')).lat, (await unitAt('E10')).lon, home.lat, home.lon)).toBeLessThan(1);
    // A fix stamped 25 s ahead is taken as of its arrival, so the true fix that follows is not "late".
    const ahead = await t.request('POST', '/api/units/E10/position', { ...north(home, 0.01), at: new Date(Date.now() + 25_000).toISOString() });
    expect(ahead.body.verdict).toBe('accepted');
    expect(new Date(ahead.body.at).getTime()).toBeLessThanOrEqual(Date.now());
    await new Promise((res) => setTimeout(res, 1100));
    const next = await t.request('POST', '/api/units/E10/position', { ...north(home, 0.02), at: new Date().toISOString() });
    expect(next.body).toMatchObject({ verdict: 'accepted', used: true });
  });

  it("corrects a phone clock 115 s fast: its fix is placed at the true time, and the unit's correct fixes right after are not frozen out", async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E03'`);
    const fast = { id: 'phone-e03', clockAheadMs: 115_000 };
    const r = await deviceRequest(t, fast, 'POST', '/api/units/E03/position', { ...home, at: new Date(Date.now() + 115_000).toISOString() });
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe('accepted');
    expect(Math.abs(new Date(r.body.at).getTime() - Date.now())).toBeLessThan(10_000);
    // The cab's tablet, whose clock is right, reports 5 s later: accepted, not "late".
    const tablet = { id: 'tablet-e03', clockAheadMs: 0 };
    await new Promise((res) => setTimeout(res, 1100));
    const next = await deviceRequest(t, tablet, 'POST', '/api/units/E03/position', { ...north(home, 0.02), at: new Date().toISOString() });
    expect(next.body).toMatchObject({ verdict: 'accepted', used: true });
    const clocks = (await t.request('GET', '/api/devices/clocks')).body;
    expect(clocks.find((c: { deviceId: string }) => c.deviceId === 'phone-e03').offsetS).toBeGreaterThan(100);
  });

  it('corrects a status report from a phone 10 min fast instead of refusing it, and shows the skew', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, lat: 37.7990, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const phone = { id: `phone-${a.unitId.toLowerCase()}`, clockAheadMs: 600_000 };
    const stamped = new Date(Date.now() + 600_000);
    const r = await deviceRequest(t, phone, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: stamped.toISOString() });
    expect(r.status).toBe(200);
    expect(r.body.applied).toBe(true);
    const ackAt = new Date(r.body.assignment.acknowledgedAt).getTime();
    expect(Math.abs(ackAt - (stamped.getTime() - 600_000))).toBeLessThan(10_000);
    const clocks = (await t.request('GET', '/api/devices/clocks')).body;
    expect(clocks[0]).toMatchObject({ deviceId: phone.id, skewed: true });
    expect(clocks.find((c: { deviceId: string }) => c.deviceId === 'tablet-e03')?.skewed ?? false).toBe(false);
  });

  it('a clock set right mid-shift: one sample far from the estimate waits for a second agreeing one', async () => {
    const phone = { id: 'phone-step', clockAheadMs: 300_000 };
    await deviceRequest(t, phone, 'GET', '/api/devices/clocks');
    const offset = async () => (await t.request('GET', '/api/devices/clocks')).body.find((c: { deviceId: string }) => c.deviceId === 'phone-step').offsetS;
    expect(await offset()).toBeGreaterThan(295);
    phone.clockAheadMs = 0;
    await deviceRequest(t, phone, 'GET', '/api/devices/clocks');
    expect(await offset()).toBeGreaterThan(295); // one sample: maybe a delayed request
    await deviceRequest(t, phone, 'GET', '/api/devices/clocks');
    expect(Math.abs(await offset())).toBeLessThan(5);
  });

  it('prunes history past AVL_RETENTION_H, keeping each unit its current fix', async () => {
    const app = t.app.get((await import('./avl.service')).AvlService);
    const deleted = await app.prune(new Date(Date.now() + (t.config.AVL_RETENTION_H * 3600 + 60) * 1000));
    expect(deleted).toBeGreaterThan(0);
    expect((await t.request('GET', '/api/units/E02/fixes')).body).toEqual([]);
    expect((await unitAt('E02')).fixAt).not.toBeNull();
  });
});
