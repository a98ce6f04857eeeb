import { RoadNetwork } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Closing a street that a dispatched unit is about to drive: the closure applies before the answer,
 * the unit's task is re-routed around it (never through it), and reopening lifts it and takes the
 * unit back the shorter way. A line that
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
    const reopened = await t.request('DELETE', `/api/road-closures/${closed.body.closure.id}`);
    expect(reopened.status).toBe(200);
    expect((await t.request('GET', '/api/road-closures')).body).toEqual([]);
    expect(network.closedEdgeIds()).toEqual([]);
    // Reopening undoes the detour: the task drives the reopened block again, sooner.
    expect(reopened.body.rerouted.map((r: any) => r.assignmentId)).toContain(a.id);
    const back = (await t.request('GET', `/api/incidents/${incident.id}`)).body.assignments.find((x: any) => x.id === a.id);
    const backNodes = back.route.coordinates.map(([lon, lat]: number[]) => network.snap(lat, lon).node);
    expect(network.routeUsesEdges(backNodes, closedIds)).toBe(true);
    expect(back.etaSeconds).toBeLessThan(after.etaSeconds);
    const later = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(later.some((e: any) => e.type === 'assignment.rerouted' && e.unitId === a.unitId && e.payload.reason === 'road reopened: a shorter way')).toBe(true);
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

describe('a closure drawn by hand, stopping short of the intersections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('closures-hand');
  });
  afterAll(async () => {
    await t.close();
  });

  it('still closes the block it was drawn along', async () => {
    const network = t.app.get(RoadNetwork);
    // A real block of the graph: a route's long straight segment, drawn from 20% to 80% of its length.
    const r = network.route(network.snap(37.7990, -122.4330).node, network.snap(37.7930, -122.4190).node)!;
    const c = r.geometry.coordinates;
    let best = 0;
    for (let i = 1; i < c.length; i++) if (Math.hypot(c[i][0] - c[i - 1][0], c[i][1] - c[i - 1][1]) > Math.hypot(c[best + 1][0] - c[best][0], c[best + 1][1] - c[best][1])) best = i - 1;
    const [a, b] = [c[best], c[best + 1]];
    const at = (f: number) => [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    const drawn = { type: 'LineString', coordinates: [at(0.2), at(0.8)] };
    const res = await t.request('POST', '/api/road-closures', { geometry: drawn, reason: 'hand drawn' });
    expect(res.status).toBe(201);
    const exact = network.closuresFromGeoJson({ type: 'LineString', coordinates: [a, b] });
    expect(network.closedEdgeIds()).toEqual(expect.arrayContaining(exact));
  });
});
