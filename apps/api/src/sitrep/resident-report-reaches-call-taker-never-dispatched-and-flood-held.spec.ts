import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A resident's report from the public page lands in the call takers' own queue, unverified: no call,
 * no incident, no unit until a call taker accepts it; an open incident nearby is only suggested. A
 * flood is held by the per-device and per-address limits and never reaches dispatch; a point outside
 * the city is refused naming the field.
 */
describe("residents' reports: own queue, never dispatched by themselves, abuse limits per device and address", () => {
  let t: TestApp;
  let incident: any;
  const near = { lat: 37.79851, lon: -122.40977 };
  const report = (deviceId: string, extra: Record<string, unknown> = {}) => ({ kind: 'emergency', type: 'medical', description: 'A man collapsed on the pavement', ...near, accuracyM: 20, deviceId, ...extra });
  const device = (n: number) => `device-${String(n).padStart(12, '0')}`;
  const count = async (sql: string) => (await t.ds.query(sql))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp('publicreports', { PUBLIC_REPORTS_PER_DEVICE: '2', PUBLIC_REPORTS_PER_ADDRESS: '6' });
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: near.lat + 0.0003, lon: near.lon });
    incident = await t.incidentOf(call.body.id, true);
    await t.settle();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a report without sign-in waits in its queue: no call, no incident, no task; the open incident nearby is suggested', async () => {
    const before = { calls: await count(`SELECT count(*)::int AS n FROM call`), tasks: await count(`SELECT count(*)::int AS n FROM assignment`) };
    const r = await t.request('POST', '/api/public/reports', report(device(1)), null);
    expect(r.status).toBe(202);
    expect(r.body.state).toBe('pending');
    await t.settle();
    expect(await count(`SELECT count(*)::int AS n FROM call`)).toBe(before.calls);
    expect(await count(`SELECT count(*)::int AS n FROM assignment`)).toBe(before.tasks);
    const queue = await t.request('GET', '/api/public-reports');
    const mine = queue.body.find((q: any) => q.id === r.body.id);
    expect(mine).toMatchObject({ state: 'pending', callType: 'Medical Incident', suggestedIncidentId: incident.id, streetId: incident.street.id });
    // The street post of another district does not see it.
    const otherDistrict = incident.district.id === 'sf-d2' ? 'd3' : 'd2';
    expect((await t.request('GET', '/api/public-reports', undefined, await t.signIn(otherDistrict))).body.map((q: any) => q.id)).not.toContain(r.body.id);
    expect((await t.request('GET', '/api/public-reports', undefined, null)).status).toBe(401);
  });

  it('bad input names the field; a point outside the city is refused naming lat/lon', async () => {
    const outside = await t.request('POST', '/api/public/reports', report(device(2), { lat: 37.3382, lon: -121.8863 }), null); // San Jose
    expect(outside.status).toBe(422);
    expect(outside.body.message).toMatch(/^lat\/lon: .* outside the city/);
    // How far, as a number, for the report page to say in the resident's language (San Jose: about 60 km).
    expect(outside.body).toMatchObject({ code: 'OUTSIDE_JURISDICTION' });
    expect(outside.body.distanceMetres).toBeGreaterThan(50_000);
    expect(outside.body.distanceMetres).toBeLessThan(80_000);
    const noDevice = await t.request('POST', '/api/public/reports', { ...report(device(2)), deviceId: undefined }, null);
    expect(noDevice.status).toBe(400);
    expect(JSON.stringify(noDevice.body.message)).toContain('deviceId');
    const badType = await t.request('POST', '/api/public/reports', report(device(2), { type: 'alien' }), null);
    expect(badType.status).toBe(400);
    expect(JSON.stringify(badType.body.message)).toContain('type must be one of');
    const extra = await t.request('POST', '/api/public/reports', report(device(2), { priority: 1 }), null);
    expect(extra.status).toBe(400);
  });

  it('a call taker accepts one (it becomes a call and an incident), links another, dismisses a third; a second review is refused', async () => {
    const a = (await t.request('POST', '/api/public/reports', report(device(3), { type: 'hazard', kind: 'hazard', lat: 37.80805, lon: -122.40988, description: 'Downed tree across the road' }), null)).body.id;
    const b = (await t.request('POST', '/api/public/reports', report(device(4)), null)).body.id;
    const c = (await t.request('POST', '/api/public/reports', report(device(5), { description: 'test test' }), null)).body.id;
    const accepted = await t.request('POST', `/api/public-reports/${a}/accept`, { priority: 3 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', reviewedBy: 'commander' });
    const made = await t.incidentOf(accepted.body.callId, true);
    expect(made.type).toBe('Other');
    expect((await t.ds.query(`SELECT source, notes FROM call WHERE id = $1`, [accepted.body.callId]))[0]).toMatchObject({ source: 'public', notes: expect.stringContaining('Downed tree') });
    const linked = await t.request('POST', `/api/public-reports/${b}/link`, { incidentId: incident.id });
    expect(linked.body).toMatchObject({ state: 'linked', incidentId: incident.id });
    expect((await t.ds.query(`SELECT linked, incident_id FROM call WHERE id = $1`, [linked.body.callId]))[0]).toEqual({ linked: true, incident_id: incident.id });
    expect((await t.request('POST', `/api/public-reports/${c}/dismiss`, { reason: 'prank' })).body.state).toBe('dismissed');
    const twice = await t.request('POST', `/api/public-reports/${c}/accept`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('dismissed by commander');
    expect(await count(`SELECT count(*)::int AS n FROM audit_event WHERE action LIKE 'public-report.%'`)).toBe(3);
  });

  it('a flood is held per device and per address, never reaching dispatch', async () => {
    // device 1 already sent one: one more, then refused naming deviceId.
    expect((await t.request('POST', '/api/public/reports', report(device(1)), null)).status).toBe(202);
    const third = await t.request('POST', '/api/public/reports', report(device(1)), null);
    expect(third.status).toBe(429);
    expect(third.body.message).toMatch(/^deviceId: at most 2 reports/);
    // Other residents behind the same address still get through until the address limit (6, counted across devices).
    const results: number[] = [];
    for (let i = 10; i < 20; i++) results.push((await t.request('POST', '/api/public/reports', report(device(i)), null)).status);
    const sent = await count(`SELECT count(*)::int AS n FROM public_report`);
    expect(sent).toBe(6);
    expect(results.filter((s) => s === 429).length).toBeGreaterThan(0);
    const refused = await t.request('POST', '/api/public/reports', report(device(30)), null);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^address: at most 6 reports/);
    await t.settle();
    // Only the one accepted report became a call; nothing else of the public reached intake or dispatch.
    expect(await count(`SELECT count(*)::int AS n FROM call WHERE source = 'public' AND linked = false`)).toBe(1);
  });
});
