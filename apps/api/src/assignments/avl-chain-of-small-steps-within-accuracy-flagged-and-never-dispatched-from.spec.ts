import { haversineMetres } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What a hostile tester saw: a phone reporting `accuracyM: 99` (the limit is 100) with true time stamps,
 * each fix 190 m further on at about 7 fixes/s, had every fix accepted (the check subtracted both
 * accuracy radii from each step: 190 m − 198 m is no movement). Unit E10 moved 3.66 km in 4.7 s; a unit
 * 500 m from a P1 was passed over because its fake position put it 2.6 km away. Now each fix is judged
 * against every accepted fix of the unit's last `AVL_TRACK_WINDOW_S` (60 s) too: the chain is flagged by
 * its second step and allocation ranks the unit from where it really is. Here in Chinatown: E13's true
 * fix lies 40 m from the incident, E02 waits at its station 370 m away.
 */
describe('AVL: a chain of 99 m-accuracy steps is flagged, never dispatched from; honest noisy fixes are kept', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('avlchain');
  });
  afterAll(async () => {
    await t.close();
  });

  const incidentPoint = { lat: 37.7948, lon: -122.405 };
  const unitAt = async (id: string) => (await t.request('GET', '/api/units')).body.find((u: { id: string }) => u.id === id);
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
  /** A point `north` metres north and `east` metres east of `p` (111,195 m per degree of latitude). */
  const offset = (p: { lat: number; lon: number }, north: number, east = 0) => ({
    lat: p.lat + north / 111_195,
    lon: p.lon + east / (111_195 * Math.cos((p.lat * Math.PI) / 180)),
  });

  it('the chain (190 m steps, 99 m accuracy, 7 fixes/s) is flagged within two steps; the P1 40 m from the unit gets it', async () => {
    const truth = offset(incidentPoint, 30, 30);
    const first = await t.request('POST', '/api/units/E13/position', { ...truth, accuracyM: 99, at: new Date().toISOString() });
    expect(first.body).toMatchObject({ verdict: 'accepted', used: true });
    await sleep(1100);
    const verdicts: string[] = [];
    // South, away from the incident and from E02's station (north-west of it): 20 steps, 3.8 km in about 3 s.
    for (let k = 1; k <= 20; k++) {
      const r = await t.request('POST', '/api/units/E13/position', { ...offset(truth, -190 * k), accuracyM: 99, at: new Date().toISOString() });
      expect(r.status).toBe(200);
      verdicts.push(r.body.verdict);
      await sleep(140);
    }
    const firstFlag = verdicts.indexOf('implausible');
    expect(firstFlag).toBeGreaterThanOrEqual(0);
    expect(firstFlag).toBeLessThanOrEqual(1);
    expect(verdicts.slice(firstFlag).every((v) => v === 'implausible')).toBe(true);
    const e13 = await unitAt('E13');
    expect(haversineMetres(e13.lat, e13.lon, truth.lat, truth.lon)).toBeLessThanOrEqual(191);
    const history = (await t.request('GET', '/api/units/E13/fixes')).body as { verdict: string; impliedKmh: number }[];
    expect(history.filter((f) => f.verdict === 'implausible').every((f) => f.impliedKmh > 200)).toBe(true);

    // The P1 goes to E13, ranked from its accepted position, not from 3.8 km away.
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, ...incidentPoint });
    const incident = await t.incidentOf(call.body.id);
    const engine = incident.assignments.find((a: { capability: string }) => a.capability === 'engine');
    expect(engine.unitId).toBe('E13');
  });

  it('an honest noisy drive (30 m/s, 80 m accuracy, a fix every 2 s) and a parked unit jittering ±90 m stay accepted', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E28'`);
    // Errors at the full 80 m radius, alternately ahead of and behind the truth and to either side.
    const drive = [];
    for (let i = 0; i <= 12; i++) {
      const p = offset(home, 60 * i + (i % 2 ? 80 : -80) * Math.SQRT1_2, (i % 3 ? 80 : -80) * Math.SQRT1_2);
      drive.push((await t.request('POST', '/api/units/E28/position', { ...p, accuracyM: 80, at: ago(30 - 2 * i) })).body.verdict);
      await sleep(110);
    }
    expect(drive.every((v) => v === 'accepted')).toBe(true);

    const [station] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = 'E41'`);
    const jitter: [number, number][] = [[90, 0], [-90, 0], [0, 90], [0, -90], [63, 63], [-63, -63], [63, -63], [-63, 63], [90, 0], [-90, 0]];
    const parked = [];
    for (const [i, [n, e]] of jitter.entries()) {
      parked.push((await t.request('POST', '/api/units/E41/position', { ...offset(station, n, e), accuracyM: 90, at: ago(20 - i) })).body.verdict);
      await sleep(110);
    }
    expect(parked.every((v) => v === 'accepted')).toBe(true);
    const e41 = await unitAt('E41');
    expect(haversineMetres(e41.lat, e41.lon, station.lat, station.lon)).toBeLessThanOrEqual(91);
  });
});
