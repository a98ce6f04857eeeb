/**
 * Edge snapping figures for `bench/routing.ts` (issue 18), on the real San Francisco graph:
 * - building the edge index; snapping a point to an access point (p50 / p99) against the nearest-node
 *   snap of the same points, in the same run;
 * - one-to-many (200 units) to an access point (one engine search per leg, two on a two-way street)
 *   against one-to-many to the nearest node, same targets and units;
 * - the approach under 100 closed edges (largest strongly connected component of the open edges, once
 *   per closure change) and the exact-match check of the access-point times against Dijkstra.
 */
import { mulberry32, nearestRank } from '@cad/domain';
import { DijkstraSearch, RoadNetwork, edgeTails, type RoadGraph } from '@cad/routing';

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs the snapping measurements on `graph` (its main component's bounding box) and returns the figures. */
export function benchSnapping(graph: RoadGraph, units = 200, queries = 300): Record<string, number> {
  const net = new RoadNetwork(graph);
  net.route(0, 0); // builds the hierarchy outside the measured parts
  const rand = mulberry32(1818);
  let [minLat, maxLat, minLon, maxLon] = [90, -90, 180, -180];
  const main: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (!graph.inMainComponent[v]) continue;
    main.push(v);
    minLat = Math.min(minLat, graph.lat[v]); maxLat = Math.max(maxLat, graph.lat[v]);
    minLon = Math.min(minLon, graph.lon[v]); maxLon = Math.max(maxLon, graph.lon[v]);
  }
  const points = Array.from({ length: queries }, () => [minLat + rand() * (maxLat - minLat), minLon + rand() * (maxLon - minLon)] as const);
  const sources = Array.from({ length: units }, () => main[Math.floor(rand() * main.length)]);

  let t = nowMs();
  net.accessPoint(points[0][0], points[0][1]);
  const indexMs = nowMs() - t;
  const snapNode: number[] = [];
  const snapEdge: number[] = [];
  for (const [lat, lon] of points) { t = nowMs(); net.snap(lat, lon); snapNode.push(nowMs() - t); }
  for (const [lat, lon] of points) { t = nowMs(); net.accessPoint(lat, lon); snapEdge.push(nowMs() - t); }

  const toNode: number[] = [];
  const toPoint: number[] = [];
  for (const [lat, lon] of points) {
    const node = net.snap(lat, lon).node;
    t = nowMs(); net.travelTimesTo(node, sources); toNode.push(nowMs() - t);
    const a = net.approach(lat, lon);
    t = nowMs(); net.travelTimesToApproach(a, sources); toPoint.push(nowMs() - t);
  }

  // Closures: 100 random edges; the first approach after the change computes the open component.
  const closed = Array.from({ length: 100 }, () => Math.floor(rand() * graph.edgeCount));
  net.setClosures(closed);
  t = nowMs();
  net.approach(points[0][0], points[0][1]);
  const firstApproachMs = nowMs() - t;
  const mask = new Uint8Array(graph.edgeCount);
  for (const e of closed) mask[e] = 1;
  const dijkstra = new DijkstraSearch(graph, mask);
  const tails = edgeTails(graph);
  let checks = 0;
  let mismatches = 0;
  for (const [lat, lon] of points.slice(0, 40)) {
    const a = net.approach(lat, lon);
    const got = net.travelTimesToApproach(a, sources);
    // Reference: Dijkstra to each leg's node plus its offset (legs along closed edges excluded).
    const want = new Float64Array(units).fill(Infinity);
    for (const leg of a.legs) {
      if (leg.edge >= 0 && (mask[leg.edge] === 1 || tails[leg.edge] !== leg.node)) continue;
      const d = dijkstra.travelTimesTo(leg.node, sources);
      for (let i = 0; i < units; i++) want[i] = Math.min(want[i], d[i] + leg.seconds);
    }
    for (let i = 0; i < units; i++) { checks++; if (!(got[i] === want[i] || Math.abs(got[i] - want[i]) <= 1e-6)) mismatches++; }
  }
  net.setClosures([]);
  return {
    edge_index_build_ms: round(indexMs, 1),
    snap_node_p50_ms: round(nearestRank(snapNode, 0.5), 4),
    snap_edge_p50_ms: round(nearestRank(snapEdge, 0.5), 4),
    snap_edge_p99_ms: round(nearestRank(snapEdge, 0.99), 4),
    one_to_many_to_node_p50_ms: round(nearestRank(toNode, 0.5), 4),
    one_to_many_to_access_point_p50_ms: round(nearestRank(toPoint, 0.5), 4),
    one_to_many_to_access_point_p99_ms: round(nearestRank(toPoint, 0.99), 4),
    first_approach_after_closure_change_ms: round(firstApproachMs, 1),
    access_point_exact_match_rate: checks ? round(1 - mismatches / checks, 6) : 0,
    access_point_exact_match_checks: checks,
  };
}
