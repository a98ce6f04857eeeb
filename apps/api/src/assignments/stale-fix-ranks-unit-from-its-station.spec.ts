import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: auto-dispatch and the recommender sent E14, whose only fix was
 * 20 minutes old (ETA from that old point; its station far away), over E38 with a fresh fix. Now a
 * fix older than `AVL_STALE_S` is not trusted for "closest": the unit is ranked from its station,
 * the recommendation says "stale fix", and the unit list shows each unit's fix age. Here in
 * Chinatown: E02's only fix (20 min old) lies at the incident, E13's fresh fix on the road 40 m from
 * it (100 m from E13's station), and E02's station 370 m away. (With E13's fix at its station, both
 * set off from stations and the travel model's station terms, st-2 −7 s and st-13 +8 s, tie them
 * within 0.01 s: that would be the model's call, not the stale fix's.)
 */
describe('a stale fix ranks its unit from its station', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('stalefix');
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the unit with the fresh fix, and recommends the stale one only saying so', async () => {
    const incidentPoint = { lat: 37.7948, lon: -122.405 };
    const e13 = { lat: incidentPoint.lat + 0.0003, lon: incidentPoint.lon + 0.0003 };
    const stale = await t.request('POST', '/api/units/E02/position', { ...incidentPoint, at: new Date(Date.now() - 20 * 60_000).toISOString() });
    expect(stale.body).toMatchObject({ verdict: 'accepted', used: true });
    expect((await t.request('POST', '/api/units/E13/position', { ...e13, at: new Date().toISOString() })).body.used).toBe(true);

    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, ...incidentPoint });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.street.id).toBe('sf-d3-chinatown');
    const engine = incident.assignments.find((a: { capability: string }) => a.capability === 'engine');
    expect(engine.unitId).toBe('E13');

    const units = (await t.request('GET', '/api/units')).body as { id: string; staleFix: boolean | null; fixAgeS: number | null }[];
    const e02 = units.find((u) => u.id === 'E02')!;
    expect(e02.staleFix).toBe(true);
    expect(e02.fixAgeS).toBeGreaterThanOrEqual(1195);
    expect(units.find((u) => u.id === 'E13')).toMatchObject({ staleFix: false });
    expect(units.find((u) => u.id === 'E28')).toMatchObject({ staleFix: null, fixAgeS: null });

    // E13 clears early and goes out of service: E02 is the engine left, recommended from its station with the reason.
    expect((await t.request('PATCH', `/api/assignments/${engine.id}`, { status: 'cleared', cancelReason: 'cancelled_by_dispatch' })).status).toBe(200);
    expect((await t.request('PATCH', '/api/units/E13', { status: 'out_of_service' })).status).toBe(200);
    const rec = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    const slot = rec.body.slots.find((s: { capability: string }) => s.capability === 'engine');
    expect(slot.unitId).toBe('E02');
    expect(slot.reason).toMatch(/stale fix \(\d+ s old\): ranked from its station/);
    // From the station (about 370 m away), not from the old fix at the incident itself.
    expect(slot.etaSeconds).toBeGreaterThan(20);
  });
});
