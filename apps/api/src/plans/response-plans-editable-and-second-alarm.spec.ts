import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Response plans (run cards) are data: seeded from what SFFD sent, read by every post, edited by the
 * city commander, and a second alarm adds the units its level lists and moves command up.
 */
describe('response plans as data, and striking a second alarm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('plans');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the plans derived from the data, with alarm levels, and lets only the commander edit them', async () => {
    const plans = (await t.request('GET', '/api/response-plans')).body as any[];
    const fire = plans.find((p) => p.callType === 'Structure Fire');
    expect(fire.derivedFrom).toBeGreaterThan(10);
    expect(fire.alarms[0]).toMatchObject({ level: 1, slots: fire.slots });
    expect(fire.alarms.length).toBeGreaterThanOrEqual(2);

    const d3 = await t.signIn('d3');
    const refused = await t.request('PUT', '/api/response-plans/Vehicle%20Fire', { slots: { engine: 2 }, commandingTier: 'street' }, d3);
    expect(refused.status).toBe(403);
    const put = await t.request('PUT', '/api/response-plans/Vehicle%20Fire', {
      slots: { engine: 2, truck: 1 },
      commandingTier: 'street',
      alarms: [{ level: 2, slots: { engine: 2 }, commandingTier: 'district' }],
    });
    expect(put.status).toBe(200);
    expect(put.body.alarms).toEqual([
      { level: 1, slots: { engine: 2, truck: 1 }, commandingTier: 'street' },
      { level: 2, slots: { engine: 2 }, commandingTier: 'district' },
    ]);
    const bad = await t.request('PUT', '/api/response-plans/Vehicle%20Fire', { slots: { helicopter: 1 }, commandingTier: 'street' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('slots must map capabilities');

    // The edited plan is the one dispatch uses.
    const call = await t.request('POST', '/api/calls', { type: 'Vehicle Fire', priority: 2, lat: 37.7880, lon: -122.4075 });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.assignments.map((a: any) => a.capability).sort()).toEqual(['engine', 'engine', 'truck']);

    // Second alarm: two more engines, command to the district (at least).
    const alarm = await t.request('POST', `/api/incidents/${incident.id}/alarms`, { level: 2 });
    expect(alarm.status).toBe(201);
    expect(alarm.body.sent.length + alarm.body.unfilled.length).toBe(2);
    expect(alarm.body.sent.every((s: any) => s.capability === 'engine')).toBe(true);
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(['district', 'city']).toContain(after.commandingTier);
    expect(after.assignments.filter((a: any) => a.status !== 'cleared')).toHaveLength(3 + alarm.body.sent.length);
    const none = await t.request('POST', `/api/incidents/${incident.id}/alarms`, { level: 4 });
    expect(none.status).toBe(409);
    expect(none.body.message).toContain('no alarm level 4');
  });
});
