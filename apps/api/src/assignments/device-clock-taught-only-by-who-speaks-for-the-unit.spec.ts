import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: an observer sent two `GET /api/units` with `X-Device-Id: gator2`
 * and `X-Device-Time` an hour behind; the server took that as GATOR2's phone clock (offset −3600 s),
 * so the crew's Acknowledge was refused as "in the future", the phone dropped it and the ack timer
 * took the task away. A commander with `X-Device-Id: e02` could also post unit 50's fix. Now a
 * clock is learned only from an account that may act for the device's unit, kept per account, and a
 * unit's phone reports for that unit only.
 */
describe("a device's clock is taught only by who speaks for its unit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('deviceclockowner');
  });
  afterAll(async () => {
    await t.close();
  });

  const hourBehind = -3_600_000;
  /** Dispatches a fresh call and answers its first task with the crew's own token. */
  const taskOfACrew = async (lat: number, lon: number) => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, lat, lon });
    const a = (await t.incidentOf(call.body.id)).assignments[0];
    return { a, crew: await t.signIn(String(a.unitId).toLowerCase()) };
  };

  it("an observer's (and another dispatcher's) skewed requests naming the crew's device leave the crew's acknowledgement alone", async () => {
    const { a, crew } = await taskOfACrew(37.799, -122.435);
    const device = { id: String(a.unitId).toLowerCase(), clockAheadMs: hourBehind };
    const observer = await t.signIn('observer');
    for (let i = 0; i < 2; i++) expect((await deviceRequest(t, device, 'GET', '/api/units', undefined, observer)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await deviceRequest(t, device, 'GET', '/api/units', undefined, await t.signIn('d3'))).status).toBe(200);
    const clocks = (await t.request('GET', '/api/devices/clocks')).body as { account: string; deviceId: string; offsetS: number }[];
    expect(clocks.filter((c) => c.account === 'observer')).toEqual([]);
    expect(clocks.filter((c) => c.account === device.id)).toEqual([]);

    // The crew's phone sends no device id: it is its account, with a right clock.
    const ack = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: new Date().toISOString() }, crew);
    expect(ack.status).toBe(200);
    expect(ack.body.applied).toBe(true);
    expect(Math.abs(new Date(ack.body.assignment.acknowledgedAt).getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("the crew's own phone an hour slow still teaches its clock, and its stamps are corrected", async () => {
    const { a, crew } = await taskOfACrew(37.776, -122.417);
    const phone = { id: String(a.unitId).toLowerCase(), clockAheadMs: hourBehind };
    for (let i = 0; i < 2; i++) expect((await deviceRequest(t, phone, 'GET', `/api/units/${a.unitId}/assignment`, undefined, crew)).status).toBe(200);
    const stamped = new Date(Date.now() + hourBehind);
    const ack = await deviceRequest(t, phone, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: stamped.toISOString() }, crew);
    expect(ack.status).toBe(200);
    expect(Math.abs(new Date(ack.body.assignment.acknowledgedAt).getTime() - Date.now())).toBeLessThan(10_000);
    const clocks = (await t.request('GET', '/api/devices/clocks')).body as { account: string; deviceId: string; offsetS: number }[];
    expect(clocks.find((c) => c.account === phone.id && c.deviceId === phone.id)?.offsetS).toBeLessThan(-3590);
  });

  it("refuses a fix for one unit from another unit's phone (403 naming both); the unit's own phone and a dispatcher's tablet are heard", async () => {
    const [e02, e03] = ['E02', 'E03'];
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = $1 AND world = 'live'`, [e03]);
    const forged = await deviceRequest(t, { id: e02.toLowerCase(), clockAheadMs: 0 }, 'POST', `/api/units/${e03}/position`, { ...home });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toContain(`unit ${e03}`);
    expect(forged.body.message).toContain(`unit ${e02}`);
    expect((await t.request('GET', `/api/units/${e03}/fixes`)).body).toEqual([]);

    const own = await deviceRequest(t, { id: e03.toLowerCase(), clockAheadMs: 0 }, 'POST', `/api/units/${e03}/position`, { ...home }, await t.signIn(e03.toLowerCase()));
    expect(own.status).toBe(200);
    const tablet = await deviceRequest(t, { id: 'tablet-e03', clockAheadMs: 0 }, 'POST', `/api/units/${e03}/position`, { ...home });
    expect(tablet.status).toBe(200);
    // A unit's phone reports a status only for its own unit's task, whoever holds the account.
    const { a } = await taskOfACrew(37.8031, -122.4122);
    const other = a.unitId === e02 ? e03 : e02;
    const wrongPhone = await deviceRequest(t, { id: other.toLowerCase(), clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
    expect(wrongPhone.status).toBe(403);
    expect(wrongPhone.body.message).toContain(`unit ${a.unitId}`);
    const dispatcher = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
    expect(dispatcher.status).toBe(200);
  });
});
