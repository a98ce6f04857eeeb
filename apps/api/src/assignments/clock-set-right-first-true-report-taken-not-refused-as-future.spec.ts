import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a phone whose clock ran 1 h slow taught the server a −1 h offset;
 * once its clock was set right, its next correctly stamped status report (or AVL fix) got 400 "in the
 * future" (the old offset applied to a right stamp), and only the one after was taken: a status tap in
 * that slot was lost. Now a stamp that only the learned offset puts in the future, while the raw stamp
 * lies within the tolerance of the server clock, is taken at its raw time and the offset re-learned.
 * Hostile twin: a phone whose clock really is 1 h slow is still corrected.
 */
describe('a phone clock set right: its first true report is taken, not refused as future', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('clockfixed');
  });
  afterAll(async () => {
    await t.close();
  });

  const HOUR = 3600_000;
  const offsetS = async (id: string) => (await t.request('GET', '/api/devices/clocks')).body.find((c: { deviceId: string }) => c.deviceId === id)?.offsetS;
  const teach = async (phone: { id: string; clockAheadMs: number }) => {
    for (let i = 0; i < 3; i++) await deviceRequest(t, phone, 'GET', '/api/devices/clocks');
    expect(await offsetS(phone.id)).toBeCloseTo(-3600, -1);
  };
  const task = async (lat: number, lon: number) => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, lat, lon });
    const incident = await t.incidentOf(call.body.id);
    return incident.assignments[0] as { id: string; unitId: string };
  };

  it('a status report stamped right after the clock was fixed is taken at its time, and the offset re-learned', async () => {
    const a = await task(37.799, -122.435);
    const phone = { id: `phone-${a.unitId.toLowerCase()}`, clockAheadMs: -HOUR };
    await teach(phone);
    phone.clockAheadMs = 0; // the phone's clock is set right
    const stamped = new Date();
    const r = await deviceRequest(t, phone, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: stamped.toISOString() });
    expect(r.status).toBe(200);
    expect(r.body.applied).toBe(true);
    expect(Math.abs(new Date(r.body.assignment.acknowledgedAt).getTime() - stamped.getTime())).toBeLessThan(2_000);
    expect(Math.abs(await offsetS(phone.id))).toBeLessThan(5);

    // Its next AVL fix, stamped right, is taken too (and at its own time).
    const [unit] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    const fixAt = new Date();
    const fix = await deviceRequest(t, phone, 'POST', `/api/units/${a.unitId}/position`, { ...unit, at: fixAt.toISOString() });
    expect(fix.status).toBe(200);
    expect(Math.abs(new Date(fix.body.at).getTime() - fixAt.getTime())).toBeLessThan(2_000);
  });

  it('an AVL fix stamped right after the clock was fixed is taken, not refused as future', async () => {
    const [unit] = await t.ds.query(`SELECT id, home_lat AS lat, home_lon AS lon FROM unit WHERE world = 'live' AND id = 'E13'`);
    const phone = { id: 'phone-avl-fixed', clockAheadMs: -HOUR };
    await teach(phone);
    phone.clockAheadMs = 0;
    const fixAt = new Date();
    const fix = await deviceRequest(t, phone, 'POST', `/api/units/${unit.id}/position`, { lat: unit.lat, lon: unit.lon, at: fixAt.toISOString() });
    expect(fix.status).toBe(200);
    expect(Math.abs(new Date(fix.body.at).getTime() - fixAt.getTime())).toBeLessThan(2_000);
    expect(Math.abs(await offsetS(phone.id))).toBeLessThan(5);
  });

  it('hostile twin: a phone whose clock really is 1 h slow is still corrected', async () => {
    const a = await task(37.7925, -122.4105);
    const phone = { id: `phone-${a.unitId.toLowerCase()}`, clockAheadMs: -HOUR };
    await teach(phone);
    const stamped = new Date(Date.now() - HOUR); // its clock's reading
    const r = await deviceRequest(t, phone, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: stamped.toISOString() });
    expect(r.status).toBe(200);
    expect(Math.abs(new Date(r.body.assignment.acknowledgedAt).getTime() - (stamped.getTime() + HOUR))).toBeLessThan(5_000);
    expect(await offsetS(phone.id)).toBeCloseTo(-3600, -1);

    // And a stamp truly in the future (raw and corrected) is still refused.
    const future = await deviceRequest(t, { ...phone, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'en_route', at: new Date(Date.now() + 2 * HOUR).toISOString() });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('future');
  });
});
