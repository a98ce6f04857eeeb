import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: four traffic collision calls at one point, naming `"Narnia Rd"`,
 * `"Lombard Street sideways"` and other roadways no road near the point answers to, opened four
 * incidents and sent eight units: every name was placed as an address on the same surface street, but
 * the duplicate check still took each name for a different roadway. Now a roadway that no road of that
 * name or ref within 300 m answers counts as none: the calls link to one incident (a call naming no
 * roadway too), and the incident's access view names the roadway that was not found, so the card can
 * say where the units were sent instead. A roadway that is there (the Stockton Tunnel) still keeps its
 * calls apart from the surface street above it (see the tunnel spec).
 */
describe('collision calls naming a roadway that is not there', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('unknownroadway');
  });
  afterAll(async () => {
    await t.close();
  });

  const at = { lat: 37.799, lon: -122.448 };

  it('link to one incident, dispatched once, and its access view names the roadway not found', async () => {
    const first = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, ...at, roadway: 'Narnia Rd', callNumber: 'narnia-1' });
    expect(first.status).toBe(202);
    const incident = await t.incidentOf(first.body.id, true);
    expect(incident.access.roadwayNotFound).toBe('Narnia Rd');
    // Placed as an address: on a surface street near the point.
    expect(incident.access.surface).toBe(true);
    expect(incident.access.distanceMetres).toBeLessThan(150);

    const others = [
      { roadway: 'Lombard Street sideways', callNumber: 'narnia-2' },
      { roadway: 'Marina Bvld', callNumber: 'narnia-3' },
      { callNumber: 'narnia-4' },
    ];
    for (const [k, o] of others.entries()) {
      const r = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: at.lat + 0.00003 * (k + 1), lon: at.lon, ...o });
      expect(r.status).toBe(202);
      expect((await t.incidentOf(r.body.id, true)).id).toBe(incident.id);
    }
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(after.callCount).toBe(4);
    const [{ n }] = await t.ds.query(`SELECT count(DISTINCT incident_id)::int AS n FROM call WHERE call_number LIKE 'narnia-%'`);
    expect(n).toBe(1);
    const [{ units }] = await t.ds.query(`SELECT count(*)::int AS units FROM assignment WHERE incident_id = $1`, [incident.id]);
    expect(units).toBe(after.assignments.length);
    expect(units).toBeGreaterThan(0);
  });

  it('names nothing not found when the roadway is there or none was named', async () => {
    const tunnel = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 1, lat: 37.7915, lon: -122.4072, roadway: 'Stockton Tunnel', callNumber: 'found-1' });
    expect((await t.incidentOf(tunnel.body.id, true)).access.roadwayNotFound).toBeNull();
    const plain = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.8005, lon: -122.4101, callNumber: 'found-2' });
    expect((await t.incidentOf(plain.body.id, true)).access.roadwayNotFound).toBeNull();
  });
});
