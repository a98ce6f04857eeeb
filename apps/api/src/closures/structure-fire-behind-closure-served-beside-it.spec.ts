import { Geocoder, RoadNetwork } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Issue 18, "a closure strands a P1": a closure drawn along Columbus Ave through Union, Green and
 * Vallejo, then a P1 Structure Fire at Columbus and Green. Before, every engine was "unable to reach
 * the incident by road" and a unit assigned by hand got no ETA; now the fire is served at the nearest
 * reachable point beside the closure (shown in the incident view with the metres left), engines are
 * dispatched with finite ETAs, and a hand-assigned unit gets one too. Lifting the closure gives back
 * the access point itself.
 */
describe('a structure fire on a closed block is served beside the closure', () => {
  let t: TestApp;
  let network: RoadNetwork;
  let geo: Geocoder;
  beforeAll(async () => {
    t = await startTestApp('closure-beside');
    network = t.app.get(RoadNetwork);
    geo = new Geocoder(network.roadsGeoJson(), []);
  });
  afterAll(async () => {
    await t.close();
  });
  const at = (q: string) => geo.geocode(q)!;

  it('dispatches engines with ETAs, shows where they stop and what is left, and a unit assigned by hand gets an ETA', async () => {
    const line = ['Columbus Ave & Union St', 'Columbus Ave & Green St', 'Columbus Ave & Vallejo St'].map((q) => [at(q).lon, at(q).lat]);
    const closure = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: line }, reason: 'street fair' });
    expect(closure.status).toBe(201);
    const corner = at('Columbus Ave & Green St');
    // The condition of the issue: the corner's nearest node has no open way in.
    expect(network.travelTimesTo(network.snap(corner.lat, corner.lon).node, [network.snap(37.7965, -122.4237).node])[0]).toBe(Infinity);

    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: corner.lat, lon: corner.lon, address: 'Columbus Ave & Green St' });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    expect(incident.lastError).toBeNull();
    expect(incident.assignments.length).toBeGreaterThan(0);
    for (const a of incident.assignments) expect(a.etaSeconds).toBeGreaterThan(0);
    expect(incident.access.besideClosure).not.toBeNull();
    expect(incident.access.besideClosure.remainingMetres).toBeGreaterThan(0);
    expect(incident.access.besideClosure.remainingMetres).toBeLessThan(50);
    // Every route ends beside the closure and drives no closed edge.
    const closed = network.closedEdgeIds();
    for (const a of incident.assignments) {
      const end = a.route.coordinates.at(-1);
      expect(end).toEqual([incident.access.besideClosure.lon, incident.access.besideClosure.lat]);
      expect(network.routeUsesEdges(a.route.coordinates.map(([lon, lat]: number[]) => network.snap(lat, lon).node), closed)).toBe(false);
    }

    const units = (await t.request('GET', '/api/units')).body as any[];
    const free = units.find((u) => u.status === 'available' && u.capabilities.includes('engine'));
    const hand = await t.request('POST', `/api/incidents/${incident.id}/assignments`, { unitId: free.id });
    expect(hand.status).toBe(201);
    expect(hand.body.etaSeconds).toBeGreaterThan(0);

    // Lifting the closure: a new call at the same corner is driven to the corner itself.
    expect((await t.request('DELETE', `/api/road-closures/${closure.body.closure.id}`)).status).toBe(200);
    const again = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: corner.lat + 0.0004, lon: corner.lon + 0.0004 });
    const second = await t.incidentOf(again.body.id);
    expect(second.access.besideClosure).toBeNull();
    expect(second.access.surface).toBe(true);
  });

  it('an address call above the US 101 tunnel at the Presidio Main Post is given a surface street access point', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.803, lon: -122.456 });
    const incident = await t.incidentOf(call.body.id, true);
    expect(incident.access).toMatchObject({ road: 'French Court', surface: true, besideClosure: null });
    expect(incident.access.distanceMetres).toBeCloseTo(74.6, 0);
  });
});
