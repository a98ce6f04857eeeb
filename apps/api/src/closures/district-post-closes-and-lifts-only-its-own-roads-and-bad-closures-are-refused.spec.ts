import { JurisdictionIndex } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: district dispatcher `d3` closed roads in District 2 and lifted the
 * commander's citywide closure (201, 200); a self-intersecting polygon and an `endsAt` of 2000-01-01 were
 * stored (201) and the past one closed 12 road edges. Now a district post closes and lifts only closures
 * within its jurisdiction and of its own tier (403 naming the field), and bad closures are a 400 naming it.
 */
describe('road closures and jurisdiction', () => {
  let t: TestApp;
  let d3: string;
  /** A 300 m square around a point, `[lon, lat]` WGS84 degrees. */
  const square = (lat: number, lon: number, half = 150) => {
    const dLat = half / 111_320;
    const dLon = half / (111_320 * Math.cos((lat * Math.PI) / 180));
    return { type: 'Polygon', coordinates: [[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]] };
  };
  /** A station well inside a district (its square lies wholly in it). */
  let inD2: { lat: number; lon: number };
  let inD3: { lat: number; lon: number };
  beforeAll(async () => {
    t = await startTestApp('closure-jurisdiction');
    d3 = await t.signIn('d3');
    const index = t.app.get(JurisdictionIndex);
    const stations: { lat: number; lon: number }[] = await t.ds.query(`SELECT DISTINCT lat::float8 AS lat, lon::float8 AS lon FROM unit WHERE world = 'live' ORDER BY 1, 2`);
    const wholly = (district: string) =>
      stations.find((s) => {
        const ring = square(s.lat, s.lon).coordinates[0];
        return ring.every(([lon, lat]) => index.locate(lat, lon).districtId === district);
      })!;
    inD2 = wholly('sf-d2');
    inD3 = wholly('sf-d3');
    expect(inD2).toBeDefined();
    expect(inD3).toBeDefined();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a district post may not close roads in another district: 403 naming geometry', async () => {
    const r = await t.request('POST', '/api/road-closures', { geometry: square(inD2.lat, inD2.lon), reason: 'not ours' }, d3);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toMatch(/geometry/);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM road_closure`);
    expect(n).toBe(0);
  });

  it('a district post closes and lifts roads of its own district', async () => {
    const r = await t.request('POST', '/api/road-closures', { geometry: square(inD3.lat, inD3.lon), reason: 'water main' }, d3);
    expect(r.status).toBe(201);
    expect((await t.request('DELETE', `/api/road-closures/${r.body.closure.id}`, undefined, d3)).status).toBe(200);
  });

  it("a district post may not lift the commander's citywide closure, nor one the commander drew in its district: 403 naming id", async () => {
    const citywide = await t.request('POST', '/api/road-closures', { geometry: { type: 'Polygon', coordinates: [[[-122.53, 37.7], [-122.35, 37.7], [-122.35, 37.84], [-122.53, 37.84], [-122.53, 37.7]]] }, reason: 'earthquake' });
    expect(citywide.status).toBe(201);
    const local = await t.request('POST', '/api/road-closures', { geometry: square(inD3.lat, inD3.lon, 100), reason: 'commander: parade' });
    expect(local.status).toBe(201);
    for (const id of [citywide.body.closure.id, local.body.closure.id]) {
      const r = await t.request('DELETE', `/api/road-closures/${id}`, undefined, d3);
      expect(r.status).toBe(403);
      expect(JSON.stringify(r.body)).toMatch(/\bid\b/);
    }
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM road_closure WHERE removed_at IS NULL`);
    expect(n).toBe(2);
    // The commander lifts both.
    for (const id of [citywide.body.closure.id, local.body.closure.id]) expect((await t.request('DELETE', `/api/road-closures/${id}`)).status).toBe(200);
  });

  it('a self-intersecting polygon is a 400 naming geometry', async () => {
    const a = square(inD3.lat, inD3.lon).coordinates[0];
    // The bow tie: corners in the order SW, NE, SE, NW cross in the middle.
    const bowTie = { type: 'Polygon', coordinates: [[a[0], a[2], a[1], a[3], a[0]]] };
    const r = await t.request('POST', '/api/road-closures', { geometry: bowTie, reason: 'bow tie' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/geometry/);
    expect(JSON.stringify(r.body)).toMatch(/self-intersecting/);
  });

  it('an endsAt in the past is a 400 naming endsAt, and closes no road', async () => {
    const r = await t.request('POST', '/api/road-closures', { geometry: square(inD3.lat, inD3.lon), reason: 'long ago', endsAt: '2000-01-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/endsAt/);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM road_closure WHERE reason = 'long ago'`);
    expect(n).toBe(0);
  });
});
