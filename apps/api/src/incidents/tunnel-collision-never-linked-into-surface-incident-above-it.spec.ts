import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a P1 traffic collision naming `roadway: 'Stockton Tunnel'` ("car on
 * fire inside tunnel") was linked as a duplicate into a P2 collision on Pine St, the surface street
 * above the tunnel, and its roadway was dropped. Now calls naming different roadways (or one a
 * roadway and the other the surface) are never duplicates; two calls about the tunnel still are.
 */
describe('a collision in a tunnel below a surface collision', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('tunnelduplicate');
  });
  afterAll(async () => {
    await t.close();
  });

  // Pine St crosses over the Stockton Tunnel here.
  const pine = { lat: 37.79145, lon: -122.40720 };

  it('opens its own incident with its roadway; a second tunnel call links to it; the surface incident only suggests it', async () => {
    const surface = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, ...pine, address: 'Pine St & Stockton St', callNumber: 'surface-1' });
    expect(surface.status).toBe(202);
    const surfaceIncident = await t.incidentOf(surface.body.id, true);

    const tunnel = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 1, lat: pine.lat + 0.0001, lon: pine.lon, roadway: 'Stockton Tunnel', callNumber: 'tunnel-1' });
    expect(tunnel.status).toBe(202);
    const tunnelIncident = await t.incidentOf(tunnel.body.id, true);
    expect(tunnelIncident.id).not.toBe(surfaceIncident.id);
    expect(tunnelIncident).toMatchObject({ priority: 1, roadway: 'Stockton Tunnel' });
    const surfaceAfter = (await t.request('GET', `/api/incidents/${surfaceIncident.id}`)).body;
    expect(surfaceAfter.priority).toBe(2);
    expect(surfaceAfter.callCount).toBe(1);
    // The dispatcher is told the two are near each other (a suggested link), never merged by the system.
    const [row] = await t.ds.query(`SELECT suggested_incident_id FROM call WHERE id = $1`, [tunnel.body.id]);
    expect(row.suggested_incident_id).toBe(surfaceIncident.id);

    // The twin: another caller in the same tunnel, a few metres away, is a duplicate of the tunnel incident.
    const twin = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 1, lat: pine.lat + 0.00012, lon: pine.lon + 0.00002, roadway: 'stockton tunnel', callNumber: 'tunnel-2' });
    const twinIncident = await t.incidentOf(twin.body.id, true);
    expect(twinIncident.id).toBe(tunnelIncident.id);
    const [linked] = await t.ds.query(`SELECT linked FROM call WHERE id = $1`, [twin.body.id]);
    expect(linked.linked).toBe(true);

    // And a surface caller at Pine St is a duplicate of the surface incident, not of the tunnel's.
    const above = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: pine.lat - 0.00005, lon: pine.lon, callNumber: 'surface-2' });
    expect((await t.incidentOf(above.body.id, true)).id).toBe(surfaceIncident.id);
  });
});
