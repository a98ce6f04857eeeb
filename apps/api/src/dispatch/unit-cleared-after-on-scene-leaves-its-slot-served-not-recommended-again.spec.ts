import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: ambulance AM26 went on scene, then cleared (Available); the incident
 * card offered "Accept recommendation: AM26" again, and later recommended taking an ambulance from a P2.
 * A slot a unit served (reached on scene, then cleared) now counts as served; a task cancelled before it
 * reached the scene still leaves its slot open (recommendations-accept-override-and-coverage.spec.ts).
 */
describe('a unit cleared after on scene', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('served-slot');
  });
  afterAll(async () => {
    await t.close();
  });

  it('leaves its slot served: no recommendation for it, no unit taken from another incident', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7850, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const before = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    expect(before.body.slots).toEqual([]);
    const served = incident.assignments[0];
    for (const status of ['acknowledged', 'en_route', 'on_scene', 'cleared']) {
      const r = await t.request('PATCH', `/api/assignments/${served.id}`, { status });
      expect([status, r.status]).toEqual([status, 200]);
    }
    const rec = await t.request('GET', `/api/incidents/${incident.id}/recommendations`);
    expect(rec.status).toBe(200);
    expect(rec.body.slots).toEqual([]);
    expect(rec.body.reassignments).toEqual([]);
  });
});
