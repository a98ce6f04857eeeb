import { RoadNetwork } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Closing a street that a dispatched unit is about to drive: the closure applies before the answer,
 * the unit's task is re-routed around it (never through it), and reopening lifts it. A line that
 * follows no road is refused naming `geometry`.
 */
describe('a road closure on the route of a dispatched unit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('closures');
  });
  afterAll(async () => {
    await t.close();
  });

  it('re-routes the unit around the closed street, and reopening lifts it', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7990, lon: -122.4330 });
    const incident = await t.incidentOf(call.body.id);
    const a = [...incident.assignments].sort((x: any, y: any) => y.route.coordinates.length - x.route.coordinates.length)[0];
    const coords: number[][] = a.route.coordinates;
    expect(coords.length).toBeGreaterThan(6);
    // Close one block in the middle of the unit's route.
    const k = Math.floor(coords.length / 2);
    const closed = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [coords[k], coords[k + 1]] }, reason: 'water main break' });
    expect(closed.status).toBe(201);
    expect(closed.body.closure.closedEdges).toBeGreaterThan(0);
    expect(closed.body.rerouted.map((r: any) => r.assignmentId)).toContain(a.id);

    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body.assignments.find((x: any) => x.id === a.id);
    expect(after.route.coordinates).not.toEqual(coords);
    // The new route avoids the closed block, checked on the network independently of the service.
    const network = t.app.get(RoadNetwork);
    const closedIds = network.closuresFromGeoJson({ type: 'LineString', coordinates: [coords[k], coords[k + 1]] });
    const nodes = after.route.coordinates.map(([lon, lat]: number[]) => network.snap(lat, lon).node);
    expect(network.routeUsesEdges(nodes, closedIds)).toBe(false);
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(events.find((e: any) => e.type === 'assignment.rerouted' && e.unitId === a.unitId).payload.unreachable).toBe(false);

    expect((await t.request('GET', '/api/road-closures')).body.map((c: any) => c.id)).toEqual([closed.body.closure.id]);
    expect((await t.request('DELETE', `/api/road-closures/${closed.body.closure.id}`)).status).toBe(200);
    expect((await t.request('GET', '/api/road-closures')).body).toEqual([]);
    expect(network.closedEdgeIds()).toEqual([]);
  });

  it('refuses a line that follows no road, naming geometry, and a malformed one', async () => {
    const sea = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [[-122.45, 37.83], [-122.449, 37.831]] }, reason: 'x' });
    expect(sea.status).toBe(400);
    expect(sea.body.message).toContain('geometry');
    const bad = await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [[200, 37.8]] }, reason: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('geometry.coordinates');
    const observer = await t.signIn('observer');
    expect((await t.request('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates: [[-122.41, 37.79], [-122.411, 37.79]] }, reason: 'x' }, observer)).status).toBe(403);
  });
});
