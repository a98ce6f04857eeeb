import { AccessService } from '../auth/access.service';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A crew's status report (and an AVL fix) from a unit's phone asks which unit the device names twice:
 * the device clock guard (may this account teach the phone's clock?) and the handler (does the
 * phone speak for this task's unit?). The answer is looked up once per request and shared; every new
 * request asks again, and the answers are what they were (the unit's own phone is heard, another
 * unit's phone is refused naming both units).
 */
describe("a crew's status report looks its device's unit up once", () => {
  let t: TestApp;
  let lookups: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp('deviceunitonce');
    lookups = jest.spyOn(t.app.get(AccessService), 'unitOfDevice');
  });
  afterAll(async () => {
    lookups.mockRestore();
    await t.close();
  });

  const asked = (device: string) => lookups.mock.calls.filter(([d]) => d === device).length;

  it("the unit's own phone: one lookup for the clock and the report together, and the report is applied", async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, lat: 37.776, lon: -122.417 });
    const a = (await t.incidentOf(call.body.id)).assignments[0];
    const phone = String(a.unitId).toLowerCase();
    const crew = await t.signIn(phone);
    lookups.mockClear();
    const ack = await deviceRequest(t, { id: phone, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' }, crew);
    expect(ack.status).toBe(200);
    expect(ack.body.applied).toBe(true);
    expect(asked(phone)).toBe(1);
    // The phone's clock was learned in the same request (the guard's half of the lookup).
    const clocks = (await t.request('GET', '/api/devices/clocks')).body as { account: string; deviceId: string }[];
    expect(clocks.some((c) => c.account === phone && c.deviceId === phone)).toBe(true);
    // A second request asks again: the answer lives as long as its request, never longer.
    const enRoute = await deviceRequest(t, { id: phone, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'en_route' }, crew);
    expect(enRoute.status).toBe(200);
    expect(asked(phone)).toBe(2);
  });

  it("hostile: another unit's phone is still refused (403 naming both units), with one lookup; an AVL fix too", async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 2, lat: 37.8031, lon: -122.4122 });
    const a = (await t.incidentOf(call.body.id)).assignments[0];
    const other = a.unitId === 'E02' ? 'e03' : 'e02';
    lookups.mockClear();
    const wrong = await deviceRequest(t, { id: other, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toContain(`unit ${a.unitId}`);
    expect(wrong.body.message).toContain(`unit ${other.toUpperCase()}`);
    expect(asked(other)).toBe(1);
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE id = $1 AND world = 'live'`, [a.unitId]);
    const fix = await deviceRequest(t, { id: other, clockAheadMs: 0 }, 'POST', `/api/units/${a.unitId}/position`, { ...home });
    expect(fix.status).toBe(403);
    expect(asked(other)).toBe(2);
  });
});
