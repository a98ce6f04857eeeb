import { RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/** Independent haversine (R = 6,371,008.8 m) for brute-force checks. */
function metresBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('snapping to the nearest node of the main strongly connected component (real SF graph)', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const g = net.graph;

  const bruteForceNearestMain = (lat: number, lon: number): { node: number; d: number } => {
    let best = { node: -1, d: Infinity };
    for (let v = 0; v < g.nodeCount; v++) {
      if (!g.inMainComponent[v]) continue;
      const d = metresBetween(lat, lon, g.lat[v], g.lon[v]);
      if (d < best.d) best = { node: v, d };
    }
    return best;
  };

  it('snaps a Marina Blvd point (37.8051625, -122.4329574) to a road node within 200 m', () => {
    const s = net.snap(37.8051625, -122.4329574);
    expect(net.isInMainComponent(s.node)).toBe(true);
    expect(s.distanceMetres).toBeLessThan(200);
    const p = net.nodePosition(s.node);
    expect(metresBetween(37.8051625, -122.4329574, p.lat, p.lon)).toBeCloseTo(s.distanceMetres, 6);
  });

  it('returns the same node as a brute-force scan for points across the covered area', () => {
    // a 7 x 5 lattice over the bbox of the extract (lat 37.7805–37.8110, lon −122.4850 to −122.3942)
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 5; j++) {
        const lat = 37.7805 + ((37.811 - 37.7805) * (j + 0.5)) / 5;
        const lon = -122.485 + ((-122.3942 + 122.485) * (i + 0.5)) / 7;
        const s = net.snap(lat, lon);
        const b = bruteForceNearestMain(lat, lon);
        expect(s.distanceMetres).toBeCloseTo(b.d, 6);
      }
    }
  });

  it('never returns a node of a small disconnected piece, even when standing on it', () => {
    const outside: number[] = [];
    for (let v = 0; v < g.nodeCount; v++) if (!g.inMainComponent[v]) outside.push(v);
    expect(outside.length).toBeGreaterThan(0);
    outside.forEach((v, i) => {
      const s = net.snap(g.lat[v], g.lon[v]);
      expect(s.node).not.toBe(v);
      expect(g.inMainComponent[s.node]).toBe(1);
      expect(s.distanceMetres).toBeGreaterThan(0);
      // the brute-force scan is slow under jest's VM; check every 10th against it
      if (i % 10 === 0) expect(s.distanceMetres).toBeCloseTo(bruteForceNearestMain(g.lat[v], g.lon[v]).d, 6);
    });
  });

  it('snaps a main-component node onto itself', () => {
    let v = 0;
    while (!g.inMainComponent[v]) v++;
    const s = net.snap(g.lat[v], g.lon[v]);
    expect(s.distanceMetres).toBe(0);
    expect(g.lat[s.node]).toBe(g.lat[v]);
    expect(g.lon[s.node]).toBe(g.lon[v]);
  });

  it('rejects non-finite or out-of-range coordinates with a RangeError naming the argument', () => {
    expect(() => net.snap(NaN, -122.4)).toThrow(RangeError);
    expect(() => net.snap(NaN, -122.4)).toThrow(/lat/);
    expect(() => net.snap(91, -122.4)).toThrow(/lat/);
    expect(() => net.snap(37.8, Infinity)).toThrow(/lon/);
    expect(() => net.snap(37.8, -180.5)).toThrow(/lon/);
    expect(() => net.snap(37.8, undefined as unknown as number)).toThrow(/lon/);
  });
});
