import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a ~670 m square closure around Station 2 and a P1 151 m from E02;
 * dispatch ignored E02/T02 (counted cut off by the closure they stand in) and sent E13/T13 from 481 m
 * away, which stopped at the closure's edge 249 m short. With a citywide polygon the P1 got no unit at
 * all. The rule now: a unit whose start point lies inside a closed area is already inside the cordon and
 * may drive that area's closed roads (move within it and leave it); units outside still stop at its edge.
 */
describe('units inside a closed area', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('inside-closure');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a P1 inside a square closed around Station 2 gets E02 from inside the square, driven to the incident itself', async () => {
    const [station] = await t.ds.query(`SELECT lat, lon FROM unit WHERE world = 'live' AND id = 'E02'`);
    // 335 m each side of the station: a 670 m square.
    const dLat = 335 / 111_320;
    const dLon = 335 / (111_320 * Math.cos((station.lat * Math.PI) / 180));
    const square = {
      type: 'Polygon',
      coordinates: [[[station.lon - dLon, station.lat - dLat], [station.lon + dLon, station.lat - dLat], [station.lon + dLon, station.lat + dLat], [station.lon - dLon, station.lat + dLat], [station.lon - dLon, station.lat - dLat]]],
    };
    const closure = await t.request('POST', '/api/road-closures', { geometry: square, reason: 'police cordon around Station 2' });
    expect(closure.status).toBe(201);
    // 151 m north of E02, inside the square.
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: station.lat + 151 / 111_320, lon: station.lon, address: 'inside the cordon' });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    const byUnit = new Map<string, { etaSeconds: number; capability: string; route: { coordinates: number[][] } }>(incident.assignments.map((a: { unitId: string }) => [a.unitId, a]));
    expect(byUnit.has('E02')).toBe(true);
    const e02 = byUnit.get('E02')!;
    expect(e02.etaSeconds).toBeGreaterThan(0);
    // E02 drives to the incident's own access point, not to the edge of the closure.
    const end = e02.route.coordinates.at(-1)!;
    const metres = Math.hypot((end[1] - incident.access.lat) * 111_320, (end[0] - incident.access.lon) * 111_320 * Math.cos((station.lat * Math.PI) / 180));
    expect(metres).toBeLessThan(1);
    // Every engine from outside the square arrives later than E02.
    for (const [unitId, a] of byUnit) if (unitId !== 'E02' && a.capability === e02.capability) expect(a.etaSeconds).toBeGreaterThan(e02.etaSeconds);
    expect((await t.request('DELETE', `/api/road-closures/${closure.body.closure.id}`)).status).toBe(200);
  });

  it('a P1 under a citywide closed area still gets units: the units are inside the area too', async () => {
    const everything = { type: 'Polygon', coordinates: [[[-122.53, 37.7], [-122.35, 37.7], [-122.35, 37.84], [-122.53, 37.84], [-122.53, 37.7]]] };
    const closure = await t.request('POST', '/api/road-closures', { geometry: everything, reason: 'earthquake: every road unsafe' });
    expect(closure.status).toBe(201);
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7541, lon: -122.447, address: 'citywide closure' });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.status).toBe('dispatched');
    expect(incident.assignments.length).toBeGreaterThan(0);
    for (const a of incident.assignments) expect(a.etaSeconds).toBeGreaterThan(0);
    expect((await t.request('DELETE', `/api/road-closures/${closure.body.closure.id}`)).status).toBe(200);
  });
});
