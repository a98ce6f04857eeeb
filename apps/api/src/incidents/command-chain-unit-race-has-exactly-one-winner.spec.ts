import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Two dispatchers assign the same unit to two different incidents within 50 ms, 200 times over:
 * each time exactly one gets `201` and the other `409` naming the unit's status and the incident
 * that holds it, and the unit ends with exactly one active assignment.
 */
describe('the 50 ms unit race: two dispatchers assigning the same unit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('unit-race');
  });
  afterAll(async () => {
    await t.close();
  });

  it('has exactly one winner in each of 200 races', async () => {
    // Two open live incidents, far apart, each dispatched from its own plan.
    const a = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7880, lon: -122.4075 });
    const b = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7990, lon: -122.4370 });
    expect([a.status, b.status]).toEqual([202, 202]);
    const ia = (await t.incidentOf(a.body.id)).id;
    const ib = (await t.incidentOf(b.body.id)).id;
    expect(ia).not.toBe(ib);
    await t.settle();

    for (let race = 0; race < 200; race++) {
      const [unit] = await t.ds.query(`SELECT id FROM unit WHERE status = 'available' AND 'engine' = ANY(capabilities) ORDER BY id OFFSET $1 LIMIT 1`, [race % 5]);
      const results = await Promise.all([
        t.request('POST', `/api/incidents/${ia}/assignments`, { unitId: unit.id }),
        new Promise((r) => setTimeout(r, race % 50)).then(() => t.request('POST', `/api/incidents/${ib}/assignments`, { unitId: unit.id })),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      const winner = results.find((r) => r.status === 201)!;
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body.message).toContain(`unit ${unit.id} is dispatched on incident ${winner.body.incidentId}`);
      const active = await t.ds.query(`SELECT incident_id FROM assignment WHERE unit_id = $1 AND status <> 'cleared'`, [unit.id]);
      expect(active).toEqual([{ incident_id: winner.body.incidentId }]);
      // Free the unit for the next race: before on scene, clearing is a cancel with its reason.
      const cleared = await t.request('PATCH', `/api/assignments/${winner.body.id}`, { status: 'cleared', cancelReason: 'cancelled_by_dispatch' });
      expect(cleared.status).toBe(200);
    }
    // 200 races of four requests each: minutes, not seconds, on a loaded 2-core machine.
  }, 300_000);
});
