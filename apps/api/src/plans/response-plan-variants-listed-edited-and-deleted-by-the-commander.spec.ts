import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Issue 20: `GET /api/response-plans` keeps its shape (one entry per call type, its own plan) and shows
 * each type's priority variants beside it; a city commander edits a variant with `?priority=` (what
 * dispatch then sends) and deletes it (the type's plan applies again). A variant needs its type's plan;
 * a priority outside 1..3 is refused, naming the field.
 */
describe('response plan variants per priority through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('planvariantsapi');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the variants beside the type plans, edits and deletes one, and dispatch follows', async () => {
    const plans = (await t.request('GET', '/api/response-plans')).body as any[];
    expect(new Set(plans.map((p) => p.callType)).size).toBe(plans.length);
    const medical = plans.find((p) => p.callType === 'Medical Incident');
    expect(medical).toMatchObject({ priority: null, slots: { engine: 1, ambulance: 1 } });
    expect(medical.variants.map((v: any) => [v.priority, v.slots])).toEqual([
      [1, { engine: 1, ambulance: 1 }],
      [2, { ambulance: 1 }],
    ]);
    expect(medical.variants[1].derivedFrom).toBeGreaterThanOrEqual(20);
    expect(medical.variants[1].alarms[0]).toEqual({ level: 1, slots: { ambulance: 1 }, commandingTier: 'street' });
    expect((await t.request('GET', '/api/response-plans/Medical%20Incident?priority=2')).body).toMatchObject({ callType: 'Medical Incident', priority: 2, slots: { ambulance: 1 } });
    expect((await t.request('GET', '/api/response-plans/Vehicle%20Fire?priority=2')).status).toBe(404);

    // Only the commander edits; the edit is what a P2 call gets, and it is on the audit trail.
    const refused = await t.request('PUT', '/api/response-plans/Medical%20Incident?priority=2', { slots: { engine: 1 }, commandingTier: 'street' }, await t.signIn('d3'));
    expect(refused.status).toBe(403);
    const put = await t.request('PUT', '/api/response-plans/Medical%20Incident?priority=2', { slots: { ambulance: 2 }, commandingTier: 'street' });
    expect(put.status).toBe(200);
    expect(put.body.slots).toEqual({ engine: 1, ambulance: 1 });
    expect(put.body.variants.find((v: any) => v.priority === 2).slots).toEqual({ ambulance: 2 });
    const [audit] = (await t.request('GET', '/api/audit?subject=plan:Medical%20Incident:P2')).body as any[];
    expect(audit).toMatchObject({ action: 'plan.update', before: { priority: 2, slots: { ambulance: 1 } }, after: { priority: 2, slots: { ambulance: 2 } } });
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.788, lon: -122.4075 });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.assignments.map((a: any) => a.capability)).toEqual(['ambulance', 'ambulance']);

    // Deleted: a P2 call gets the type's plan again; a second delete finds nothing.
    const del = await t.request('DELETE', '/api/response-plans/Medical%20Incident?priority=2');
    expect(del.status).toBe(200);
    expect(del.body.variants.map((v: any) => v.priority)).toEqual([1]);
    expect((await t.request('DELETE', '/api/response-plans/Medical%20Incident?priority=2')).status).toBe(404);
    const later = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.8005, lon: -122.4365 });
    expect((await t.incidentOf(later.body.id)).assignments.map((a: any) => a.capability).sort()).toEqual(['ambulance', 'engine']);
  });

  it('refuses a variant without its type plan, a priority outside 1..3, and a delete without a priority', async () => {
    expect((await t.request('PUT', '/api/response-plans/Drone%20Crash?priority=1', { slots: { engine: 1 }, commandingTier: 'street' })).status).toBe(404);
    const bad = await t.request('PUT', '/api/response-plans/Medical%20Incident?priority=4', { slots: { engine: 1 }, commandingTier: 'street' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('priority');
    const whole = await t.request('DELETE', '/api/response-plans/Medical%20Incident');
    expect(whole.status).toBe(400);
    expect(JSON.stringify(whole.body.message)).toContain('priority');
    expect((await t.request('GET', '/api/response-plans/Medical%20Incident')).body.slots).toEqual({ engine: 1, ambulance: 1 });
  });
});
