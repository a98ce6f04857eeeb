import fc from 'fast-check';
import { DijkstraSearch, RoadNetwork, RoutingEngine, generateSyntheticCity, type RoadGraph } from './index';

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
