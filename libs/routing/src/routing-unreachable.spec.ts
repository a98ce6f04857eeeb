import { RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/*
 * Island A: 1 - 2 - 3 (two-way). Island B: 10 - 11 (two-way), no link to A.
 * Dead end: 3 -> 4 oneway=yes (4 can be reached, but nothing leaves it).
 * 5 - 6 is a footway only: not part of the graph at all.
 */
const XML = `<osm version="0.6">
  <node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/><node id="3" lat="0" lon="0.002"/>
  <node id="4" lat="0" lon="0.003"/>
  <node id="5" lat="0" lon="0.004"/><node id="6" lat="0" lon="0.005"/>
  <node id="10" lat="0.01" lon="0"/><node id="11" lat="0.01" lon="0.001"/>
  <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="2"><nd ref="3"/><nd ref="4"/><tag k="highway" v="service"/><tag k="oneway" v="yes"/></way>
  <way id="3"><nd ref="3"/><nd ref="5"/><nd ref="6"/><tag k="highway" v="footway"/></way>
  <way id="4"><nd ref="10"/><nd ref="11"/><tag k="highway" v="unclassified"/></way>
</osm>`;

describe('unreachable destinations', () => {
  const net = RoadNetwork.fromOsmXml(XML);
  const id = (osm: number): number => net.nodeByOsmId(osm)!;

  it('returns null between disconnected islands, in both directions', () => {
    expect(net.route(id(1), id(10))).toBeNull();
    expect(net.route(id(11), id(3))).toBeNull();
    expect(Array.from(net.travelTimesTo(id(10), [id(1), id(2), id(3), id(4), id(11)]))).toEqual([
      Infinity, Infinity, Infinity, Infinity, expect.any(Number),
    ]);
    expect(net.travelTimesTo(id(10), [id(11)])[0]).toBeGreaterThan(0);
  });

  it('a one-way dead end can be entered but not left', () => {
    expect(net.route(id(1), id(4))).not.toBeNull();
    expect(net.route(id(4), id(1))).toBeNull();
    expect(net.travelTimesTo(id(1), [id(4)])[0]).toBe(Infinity);
    expect(net.travelTimesTo(id(4), [id(1)])[0]).toBeGreaterThan(0);
  });

  it('leaves nodes of non-drivable ways out of the graph', () => {
    expect(net.nodeByOsmId(5)).toBeUndefined();
    expect(net.nodeByOsmId(6)).toBeUndefined();
    expect(net.nodeCount).toBe(6);
  });

  it('marks only the largest strongly connected piece as main, and snaps onto it', () => {
    expect(net.graph.mainComponentSize).toBe(3);
    expect([1, 2, 3, 4, 10, 11].map((o) => net.isInMainComponent(id(o)))).toEqual([true, true, true, false, false, false]);
    expect(net.snap(0.01, 0.001).node).toBe(id(2)); // standing on island B still snaps to A
    expect(net.snap(0, 0.003).node).toBe(id(3)); // standing on the dead end snaps to its entry
  });

  describe('on the real San Francisco graph', () => {
    const sf = RoadNetwork.fromOsmFile(SF_OSM);
    const g = sf.graph;
    // weakly connected components by union-find, independent of the library's Tarjan pass
    const parent = Int32Array.from({ length: g.nodeCount }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (let u = 0; u < g.nodeCount; u++) {
      for (let e = g.forward.firstOut[u]; e < g.forward.firstOut[u + 1]; e++) parent[find(u)] = find(g.forward.head[e]);
    }
    let mainRep = -1;
    for (let v = 0; v < g.nodeCount && mainRep < 0; v++) if (g.inMainComponent[v]) mainRep = find(v);

    it('routes between a main-component node and a node of another weak piece are null', () => {
      const islands: number[] = [];
      for (let v = 0; v < g.nodeCount; v++) if (find(v) !== mainRep) islands.push(v);
      expect(islands.length).toBeGreaterThan(0);
      const hub = sf.snap(37.8051625, -122.4329574).node;
      for (const v of islands.slice(0, 20)) {
        expect(sf.route(hub, v)).toBeNull();
        expect(sf.route(v, hub)).toBeNull();
      }
      const times = sf.travelTimesTo(hub, islands);
      expect(times.every((t) => t === Infinity)).toBe(true);
    });
  });
});
