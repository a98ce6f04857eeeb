import { RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/*
 * Figures from /work/shared/data/san-francisco/PROVENANCE.md: 11,588 nodes, 2,558 highway ways (all
 * of drivable classes), drivable subgraph in 7 weakly connected components, the largest 11,428 nodes.
 */
describe('the real San Francisco road graph', () => {
  // Parse time is measured by `npm run bench:routing`, not here (no timed tests).
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const g = net.graph;

  it('keeps every node and way of the extract', () => {
    expect(g.nodeCount).toBe(11_588);
    expect(g.ways).toHaveLength(2_558);
    expect(net.roadsGeoJson().features).toHaveLength(2_558);
  });

  it('has 7 weakly connected pieces, the largest of 11,428 nodes', () => {
    const parent = Int32Array.from({ length: g.nodeCount }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (let u = 0; u < g.nodeCount; u++) {
      for (let e = g.forward.firstOut[u]; e < g.forward.firstOut[u + 1]; e++) parent[find(u)] = find(g.forward.head[e]);
    }
    const sizes = new Map<number, number>();
    for (let v = 0; v < g.nodeCount; v++) sizes.set(find(v), (sizes.get(find(v)) ?? 0) + 1);
    expect(sizes.size).toBe(7);
    expect(Math.max(...sizes.values())).toBe(11_428);
  });

  it('marks as main exactly the nodes that reach and are reached by a main node (BFS check)', () => {
    const bfs = (adj: typeof g.forward, start: number): Uint8Array => {
      const seen = new Uint8Array(g.nodeCount);
      const queue = [start];
      seen[start] = 1;
      for (let i = 0; i < queue.length; i++) {
        const u = queue[i];
        for (let e = adj.firstOut[u]; e < adj.firstOut[u + 1]; e++) {
          const w = adj.head[e];
          if (!seen[w]) { seen[w] = 1; queue.push(w); }
        }
      }
      return seen;
    };
    const root = net.snap(37.8051625, -122.4329574).node;
    const out = bfs(g.forward, root);
    const inn = bfs(g.reverse, root);
    let size = 0;
    const mismatched: number[] = [];
    for (let v = 0; v < g.nodeCount; v++) {
      const both = out[v] && inn[v] ? 1 : 0;
      if (g.inMainComponent[v] !== both) mismatched.push(v);
      size += both;
    }
    expect(mismatched).toEqual([]);
    expect(size).toBe(g.mainComponentSize);
    expect(size).toBeGreaterThan(0.9 * g.nodeCount);
  });

  it('stores consistent forward and reverse CSR arrays', () => {
    expect(g.forward.firstOut).toHaveLength(g.nodeCount + 1);
    expect(g.forward.firstOut[g.nodeCount]).toBe(g.edgeCount);
    expect(g.reverse.firstOut[g.nodeCount]).toBe(g.edgeCount);
    const key = (u: number, w: number, s: number): string => `${u}>${w}:${s}`;
    const fwd: string[] = [];
    const rev: string[] = [];
    for (let u = 0; u < g.nodeCount; u++) {
      for (let e = g.forward.firstOut[u]; e < g.forward.firstOut[u + 1]; e++) fwd.push(key(u, g.forward.head[e], g.forward.seconds[e]));
      for (let e = g.reverse.firstOut[u]; e < g.reverse.firstOut[u + 1]; e++) rev.push(key(g.reverse.head[e], u, g.reverse.seconds[e]));
    }
    expect(rev.sort()).toEqual(fwd.sort());
    const nonPositive = [...g.forward.metres, ...g.forward.seconds].filter((x) => !(x > 0 && Number.isFinite(x)));
    expect(nonPositive).toEqual([]);
  });

  it('exports every drivable way as a GeoJSON LineString in [lon, lat] order inside the bbox', () => {
    const fc = net.roadsGeoJson();
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      const outOfArea = f.geometry.coordinates.filter(([lon, lat]) => !(lon > -122.6 && lon < -122.3 && lat > 37.7 && lat < 37.9));
      expect(outOfArea).toEqual([]);
      expect(typeof f.properties.highway).toBe('string');
      expect(typeof f.properties.oneway).toBe('boolean');
    }
  });
});
