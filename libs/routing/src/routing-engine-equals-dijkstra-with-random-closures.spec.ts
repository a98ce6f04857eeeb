import fc from 'fast-check';
import {
  DijkstraSearch, RoadNetwork, RoutingEngine, buildRoadGraph, edgeTails, generateSyntheticCity, routeToLegs, travelTimesToLegs,
  type AccessLeg, type RoadGraph,
} from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

const same = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-6;

/**
 * Property: for any closure set and any pair of nodes (main component or not), the engine's
 * point-to-point and one-to-many travel times equal plain Dijkstra's on the closed graph to 1e-6 s,
 * Infinity included, and no returned route drives through a closed edge.
 */
function checkAgainstDijkstra(name: string, graph: RoadGraph, runs: number): void {
  describe(`contraction-hierarchy engine equals Dijkstra on ${name}`, () => {
    const engine = RoutingEngine.build(graph);
    const dijkstra = new DijkstraSearch(graph, engine.closed); // shares the closure mask
    const n = graph.nodeCount;
    const m = graph.edgeCount;
    const node = fc.integer({ min: 0, max: n - 1 });
    // Closures: uniform random edges, plus edges taken from the open-road route of a random pair so
    // that closures hit the paths being asked for.
    const closures = fc.record({
      random: fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { maxLength: 60 }),
      onRoutes: fc.array(fc.tuple(node, node, fc.nat()), { maxLength: 8 }),
    });

    const closureIds = (c: { random: number[]; onRoutes: [number, number, number][] }): number[] => {
      engine.setClosures([]);
      const ids = new Set(c.random);
      for (const [s, t, k] of c.onRoutes) {
        const r = dijkstra.route(s, t);
        if (r && r.edges.length > 0) ids.add(r.edges[k % r.edges.length]);
      }
      return [...ids];
    };

    afterAll(() => engine.setClosures([]));

    it('point to point, with and without closures', () => {
      fc.assert(
        fc.property(closures, fc.array(fc.tuple(node, node), { minLength: 1, maxLength: 6 }), (c, pairs) => {
          engine.setClosures(closureIds(c));
          for (const [s, t] of pairs) {
            const r = engine.route(s, t);
            const d = dijkstra.route(s, t);
            expect(same(r?.seconds ?? Infinity, d?.seconds ?? Infinity)).toBe(true);
            if (r) {
              let sum = 0;
              let at = s;
              for (const e of r.edges) {
                expect(engine.closed[e]).toBe(0);
                expect(graph.forward.firstOut[at] <= e && e < graph.forward.firstOut[at + 1]).toBe(true); // contiguous path
                sum += graph.forward.seconds[e];
                at = graph.forward.head[e];
              }
              expect(at).toBe(t);
              expect(Math.abs(sum - r.seconds)).toBeLessThanOrEqual(1e-6);
            }
          }
        }),
        { numRuns: runs, seed: 4242 },
      );
    });

    it('one to many (units to one incident), with and without closures', () => {
      fc.assert(
        fc.property(closures, node, fc.array(node, { minLength: 1, maxLength: 40 }), (c, target, sources) => {
          engine.setClosures(closureIds(c));
          const x = engine.travelTimesTo(target, sources);
          const y = dijkstra.travelTimesTo(target, sources);
          sources.forEach((_, i) => expect(same(x[i], y[i])).toBe(true));
        }),
        { numRuns: runs, seed: 777 },
      );
    });

    // Edge snapping: a point part-way along an edge (and its opposite twin on a two-way street) is
    // reached through the engine's searches to the edge's tail nodes plus the offsets; the reference
    // is Dijkstra on a copy of the graph with a real node inserted at the point.
    it('to a point part-way along an edge (phantom node), with and without closures', () => {
      const tails = edgeTails(graph);
      const { head, seconds, metres, firstOut } = graph.forward;
      fc.assert(
        fc.property(closures, fc.integer({ min: 0, max: m - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.array(node, { minLength: 1, maxLength: 30 }), (c, e, t, sources) => {
          engine.setClosures(closureIds(c));
          const u = tails[e];
          const v = head[e];
          const legs: AccessLeg[] = [{ node: u, edge: e, fraction: t, seconds: seconds[e] * t, metres: metres[e] * t }];
          let twin = -1;
          for (let f = firstOut[v]; f < firstOut[v + 1]; f++) if (head[f] === u && metres[f] === metres[e]) { twin = f; break; }
          if (twin >= 0) legs.push({ node: v, edge: twin, fraction: 1 - t, seconds: seconds[twin] * (1 - t), metres: metres[twin] * (1 - t) });
          // The reference graph: node n is the point; each leg's edge is split in two halves at it.
          // edgeWay carries the original edge id, so the closures map onto the copy.
          const tail2: number[] = [], head2: number[] = [], sec2: number[] = [], met2: number[] = [], orig: number[] = [];
          const push = (a: number, b: number, s: number, d: number, o: number): void => { tail2.push(a); head2.push(b); sec2.push(s); met2.push(d); orig.push(o); };
          const split = new Set(legs.map((l) => l.edge));
          for (let f = 0; f < m; f++) {
            if (!split.has(f)) { push(tails[f], head[f], seconds[f], metres[f], f); continue; }
            const frac = f === e ? t : 1 - t;
            push(tails[f], n, seconds[f] * frac, metres[f] * frac, f);
            push(n, head[f], seconds[f] * (1 - frac), metres[f] * (1 - frac), f);
          }
          const lat = Float64Array.from([...graph.lat, 0]);
          const lon = Float64Array.from([...graph.lon, 0]);
          const copy = buildRoadGraph({
            lat, lon, osmId: Float64Array.from([...graph.osmId, -1]), tail: Uint32Array.from(tail2), head: Uint32Array.from(head2),
            metres: Float64Array.from(met2), seconds: Float64Array.from(sec2), ways: [], edgeWay: Int32Array.from(orig),
          });
          const closed2 = Uint8Array.from(copy.edgeWay, (o) => engine.closed[o]);
          const reference = new DijkstraSearch(copy, closed2).travelTimesTo(n, sources);
          const x = travelTimesToLegs(engine, legs, sources);
          sources.forEach((_, i) => expect(same(x[i], reference[i])).toBe(true));
          const r = routeToLegs(engine, sources[0], legs);
          expect(same(r === null ? Infinity : r.path.seconds + r.leg.seconds, reference[0])).toBe(true);
        }),
        { numRuns: Math.ceil(runs / 2), seed: 1818 },
      );
    });

    it('closing then reopening edges one by one gives back the open-road answers', () => {
      fc.assert(
        fc.property(closures, fc.tuple(node, node), (c, [s, t]) => {
          engine.setClosures([]);
          const open = engine.route(s, t)?.seconds ?? Infinity;
          const ids = closureIds(c);
          engine.closeEdges(ids);
          const closed = engine.route(s, t)?.seconds ?? Infinity;
          expect(closed).toBeGreaterThanOrEqual(open - 1e-9);
          for (const e of ids) engine.reopenEdges([e]);
          expect(engine.closedEdgeCount).toBe(0);
          expect(same(engine.route(s, t)?.seconds ?? Infinity, open)).toBe(true);
        }),
        { numRuns: Math.ceil(runs / 2), seed: 99 },
      );
    });
  });
}

checkAgainstDijkstra('the real San Francisco graph', RoadNetwork.fromOsmFile(SF_OSM).graph, 120);
checkAgainstDijkstra('a synthetic 40 x 40 city', generateSyntheticCity({ seed: 7, columns: 40, rows: 40 }), 120);
