import { RoadNetwork } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What a hostile tester saw: Medic 60, parked at the Presidio Main Post (its fix 75 m from a P1
 * medical call there), started its route inside the US 101 (Presidio Parkway) tunnel 13 m below:
 * 5,356 m and 338 s, so KM13, 2.7 km away (280 s), was sent instead. A parked unit now starts on the
 * surface street, as the call does (`unitStartNodes`); a unit whose AVL track runs through the tunnel
 * still starts in it; a unit at its station starts where it always did.
 */
describe('a medic parked above a tunnel is sent from the street; one driving through it from the tunnel', () => {
  let t: TestApp;
  let net: RoadNetwork;
  beforeAll(async () => {
    t = await startTestApp('unitstarttunnel');
    net = t.app.get(RoadNetwork);
  });
  afterAll(async () => {
    await t.close();
  });
  const mainPost = { lat: 37.80306, lon: -122.45613 };
  const call = { type: 'Medical Incident', priority: 1, lat: 37.803, lon: -122.456, address: 'Presidio Main Post' };
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  const nodeAt = (v: number) => [net.graph.lon[v], net.graph.lat[v]];
  let incidentId = '';

  it('AM22 (based in District 2) parked at the Main Post is the ambulance dispatch sends to a P1 75 m away, from the street', async () => {
    expect((await t.request('POST', '/api/units/AM22/position', { ...mainPost, accuracyM: 5, at: ago(1) })).body).toMatchObject({ used: true });
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', call)).body.id);
    incidentId = incident.id;
    const ambulance = incident.assignments.find((a: { capability: string }) => a.capability === 'ambulance');
    expect(ambulance).toMatchObject({ unitId: 'AM22' });
    expect(ambulance.routeMetres).toBeLessThan(200);
    expect(ambulance.route.coordinates[0]).not.toEqual(nodeAt(net.snap(mainPost.lat, mainPost.lon).node));
  });

  it('Medic 60 parked there reaches it in seconds from the street (was 5,356 m, 338 s through the tunnel)', async () => {
    expect((await t.request('POST', '/api/units/60/position', { ...mainPost, accuracyM: 5, at: ago(1) })).body).toMatchObject({ used: true });
    // Dispatch looks in District 2 first (Medic 60 is based in the Tenderloin): a dispatcher sends it by hand.
    const byHand = await t.request('POST', `/api/incidents/${incidentId}/assignments`, { unitId: '60' });
    expect(byHand.status).toBe(201);
    expect(byHand.body.routeMetres).toBeLessThan(200);
    expect(byHand.body.travelSeconds).toBeLessThan(30);
    expect(byHand.body.route.coordinates[0]).not.toEqual(nodeAt(net.snap(mainPost.lat, mainPost.lon).node));
  });

  it('Medic 61 driving west through the tunnel (two fixes 34 m apart along it) starts in the tunnel', async () => {
    const g = net.graph;
    const tunnelNode = net.snap(mainPost.lat, mainPost.lon).node;
    const behind = g.reverse.head[g.reverse.firstOut[tunnelNode]]; // 34 m east, same westbound bore
    expect((await t.request('POST', '/api/units/61/position', { lat: g.lat[behind], lon: g.lon[behind], accuracyM: 5, at: ago(5) })).body.used).toBe(true);
    expect((await t.request('POST', '/api/units/61/position', { ...mainPost, accuracyM: 5, at: ago(1) })).body.used).toBe(true);
    const byHand = await t.request('POST', `/api/incidents/${incidentId}/assignments`, { unitId: '61' });
    expect(byHand.status).toBe(201);
    expect(byHand.body.route.coordinates[0]).toEqual(nodeAt(tunnelNode));
    expect(byHand.body.routeMetres).toBeGreaterThan(1000); // out of the tunnel's far end and back
  });

  it('a medic at its station (no fix) starts from the same node as before', async () => {
    const [home] = await t.ds.query(`SELECT home_lat AS lat, home_lon AS lon FROM unit WHERE world = 'live' AND id = '52'`);
    const byHand = await t.request('POST', `/api/incidents/${incidentId}/assignments`, { unitId: '52' });
    expect(byHand.status).toBe(201);
    expect(byHand.body.route.coordinates[0]).toEqual(nodeAt(net.snap(home.lat, home.lon).node));
  });
});
