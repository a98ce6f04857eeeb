import { mulberry32, RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

describe('reverse one-to-many search on the real San Francisco graph', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const main: number[] = [];
  for (let v = 0; v < net.nodeCount; v++) if (net.isInMainComponent(v)) main.push(v);
  const rand = mulberry32(20170101);
  const pick = (): number => main[Math.floor(rand() * main.length)];

  it.each([0, 1, 2, 3])('target #%i: travelTimesTo equals route().seconds for 30 random sources', () => {
    const target = pick();
    const sources = Array.from({ length: 30 }, pick);
    const times = net.travelTimesTo(target, sources);
    expect(times).toHaveLength(30);
    sources.forEach((s, i) => {
      const r = net.route(s, target);
      expect(r).not.toBeNull(); // both in the main strongly connected component
      expect(Number.isFinite(times[i])).toBe(true);
      expect(Math.abs(times[i] - r!.seconds)).toBeLessThan(1e-6);
      expect(r!.nodes[0]).toBe(s);
      expect(r!.nodes[r!.nodes.length - 1]).toBe(target);
    });
  });

  it('route seconds and metres are the sums of the path edges', () => {
    const g = net.graph;
    const r = net.route(pick(), pick())!;
    let seconds = 0;
    let metres = 0;
    for (let i = 0; i + 1 < r.nodes.length; i++) {
      const [u, w] = [r.nodes[i], r.nodes[i + 1]];
      let best = -1;
      for (let e = g.forward.firstOut[u]; e < g.forward.firstOut[u + 1]; e++) {
        if (g.forward.head[e] === w && (best < 0 || g.forward.seconds[e] < g.forward.seconds[best])) best = e;
      }
      expect(best).toBeGreaterThanOrEqual(0); // consecutive path nodes are joined by an edge
      seconds += g.forward.seconds[best];
      metres += g.forward.metres[best];
    }
    expect(r.seconds).toBeCloseTo(seconds, 6);
    expect(r.metres).toBeCloseTo(metres, 3);
    expect(r.geometry.coordinates).toEqual(r.nodes.map((v) => [g.lon[v], g.lat[v]]));
  });

  it('maxSeconds cuts off exactly the sources that are farther than the bound', () => {
    const target = pick();
    const sources = Array.from({ length: 40 }, pick);
    const full = net.travelTimesTo(target, sources);
    const bound = Array.from(full).sort((a, b) => a - b)[20];
    const cut = net.travelTimesTo(target, sources, bound);
    sources.forEach((_, i) => {
      if (full[i] <= bound) expect(cut[i]).toBe(full[i]);
      else expect(cut[i]).toBe(Infinity);
    });
  });

  it('handles a source equal to the target, duplicates and an empty source list', () => {
    const target = pick();
    const other = pick();
    const t = net.travelTimesTo(target, [target, other, other]);
    expect(t[0]).toBe(0);
    expect(t[1]).toBe(t[2]);
    expect(net.travelTimesTo(target, [])).toHaveLength(0);
    const same = net.route(target, target)!;
    expect(same.seconds).toBe(0);
    expect(same.metres).toBe(0);
    expect(same.nodes).toEqual([target]);
    expect(same.geometry.coordinates).toHaveLength(2);
    expect(same.geometry.coordinates[0]).toEqual(same.geometry.coordinates[1]);
  });

  it('rejects invalid node ids and bounds with a RangeError naming the argument', () => {
    expect(() => net.travelTimesTo(-1, [0])).toThrow(/target/);
    expect(() => net.travelTimesTo(0, [0, net.nodeCount])).toThrow(/sources\[1\]/);
    expect(() => net.travelTimesTo(0, [1.5])).toThrow(RangeError);
    expect(() => net.travelTimesTo(0, [1], NaN)).toThrow(/maxSeconds/);
    expect(() => net.route(0, net.nodeCount)).toThrow(/to/);
    expect(() => net.nodePosition(-3)).toThrow(RangeError);
  });

  it('a reverse search to 100 sources takes well under 50 ms', () => {
    const sources = Array.from({ length: 100 }, pick);
    const runs: number[] = [];
    for (let k = 0; k < 7; k++) {
      const target = pick();
      const t0 = process.hrtime.bigint();
      net.travelTimesTo(target, sources);
      runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    runs.sort((a, b) => a - b);
    expect(runs[3]).toBeLessThan(50); // median, so that one JIT warm-up run does not decide
  });
});
