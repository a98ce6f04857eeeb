import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * The hostile tester's Treasure Island call: a P1 on the island, inside the city's District 6 but beyond
 * the road data (the OSM extract stops short of the bay). It is taken and placed in the district that holds
 * it, and its access point says how far the nearest mapped road is, so the card warns NO MAPPED ROAD
 * (beyond the console's 300 m) instead of silently showing an ETA to the Embarcadero as if it were the scene.
 */
describe('a call on Treasure Island, beyond the road data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('treasure-island');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is placed in its district and its access point is kilometres from the nearest mapped road', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.8235, lon: -122.3706 });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id, true);
    expect(incident).toMatchObject({ district: { id: 'sf-d6' }, street: { id: 'sf-d6-treasure-island' }, outsideBoundary: false });
    expect(incident.access).toMatchObject({ road: 'The Embarcadero', surface: true });
    expect(incident.access.distanceMetres).toBeGreaterThan(3000);
    // Far beyond the card's 300 m (console/positions OFF_NETWORK_M, its warning proven by the console's
    // incident-card-warns-of-...-no-mapped-road spec): the card says NO MAPPED ROAD, naming The Embarcadero.
    // A P1 still gets its units (sent towards the nearest mapped road), never held for want of a road.
    const dispatched = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
      return v.assignments.length ? v : null;
    });
    expect(dispatched.assignments.map((a: { capability: string }) => a.capability)).toContain('engine');
    expect(dispatched.assignments.every((a: { etaSeconds: number | null }) => a.etaSeconds !== null && a.etaSeconds > 0)).toBe(true);
  });
});
