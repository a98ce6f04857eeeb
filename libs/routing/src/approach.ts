import type { AccessLeg, AccessPoint } from './access-point';
import { MinHeap } from './min-heap';
import { stronglyConnectedComponents, type RoadGraph } from './osm-graph';
import type { EnginePath, RoutingEngine } from './routing-engine';

/** Where units are sent when closures keep them from the access point itself. */
export interface BesideClosure {
  /** The graph node units drive to: the nearest node, along the roads, that the open network reaches. */
  node: number;
  lat: number;
  lon: number;
  /**
   * The rest of the way from that node to the access point, metres, along the roads in either
   * direction and through closed blocks (on foot, or the closed block driven at walking pace by the crew's call).
   */
  remainingMetres: number;
}

/**
 * How units reach an incident on the network as it is now (with its closures): the access point
 * itself when it can be driven to, else the nearest reachable point beside the closure.
 * `legs` are what units drive to (the access point's open legs, or the beside-closure node).
 */
export interface Approach {
  access: AccessPoint;
  /** Null when units drive to the access point itself. */
  beside: BesideClosure | null;
  legs: AccessLeg[];
}

/**
 * Works out the {@link Approach} of an access point under the engine's closures. The access point is
 * reachable when one of its legs runs along an open edge whose tail node lies in the largest strongly
 * connected component of the graph without the closed edges (so every unit there can drive to it and
 * back out). Otherwise the node of that component nearest to the access point along the roads (both
 * directions, closed edges included: the way on foot) is chosen, by a Dijkstra over edge lengths
 * started from the two ends of the access point's edge with their offsets. The component is computed
 * once per closure revision (Tarjan, O(V + E), tens of milliseconds on the San Francisco graph).
 */
export class ApproachFinder {
  private mainRevision = -1;
  private main: Uint8Array;
  private readonly heap = new MinHeap();

  constructor(private readonly graph: RoadGraph) {
    this.main = graph.inMainComponent;
  }

  /** The approach of `access` under `engine`'s current closures. */
  approach(access: AccessPoint, engine: RoutingEngine): Approach {
    const main = this.mainUnder(engine);
    const open = access.legs.filter((l) => l.edge < 0 || engine.closed[l.edge] === 0);
    if (open.some((l) => main[l.node] === 1)) return { access, beside: null, legs: open.filter((l) => main[l.node] === 1) };
    const beside = this.nearestReachable(access, main);
    if (beside === null) return { access, beside: null, legs: [] };
    return { access, beside, legs: [{ node: beside.node, edge: -1, fraction: 0, seconds: 0, metres: 0 }] };
  }

  /** Membership of the largest strongly connected component of the open (not closed) edges. */
  private mainUnder(engine: RoutingEngine): Uint8Array {
    if (engine.closedEdgeCount === 0) return this.graph.inMainComponent;
    if (this.mainRevision !== engine.revision) {
      this.main = stronglyConnectedComponents(this.graph.forward, this.graph.nodeCount, engine.closed).inMain;
      this.mainRevision = engine.revision;
    }
    return this.main;
  }

  private nearestReachable(access: AccessPoint, main: Uint8Array): BesideClosure | null {
    const g = this.graph;
    const dist = new Map<number, number>();
    const heap = this.heap;
    heap.clear();
    const relax = (v: number, d: number): void => {
      if (d < (dist.get(v) ?? Infinity)) {
        dist.set(v, d);
        heap.push(d, v);
      }
    };
    for (const l of access.legs) {
      if (l.edge < 0) { relax(l.node, 0); continue; }
      const len = g.forward.metres[l.edge];
      relax(l.node, l.metres);
      relax(g.forward.head[l.edge], len - l.metres);
    }
    const done = new Set<number>();
    while (heap.size > 0) {
      const d = heap.peekKey();
      const v = heap.pop();
      if (done.has(v)) continue;
      done.add(v);
      if (main[v] === 1) return { node: v, lat: g.lat[v], lon: g.lon[v], remainingMetres: d };
      for (const adj of [g.forward, g.reverse]) {
        for (let e = adj.firstOut[v]; e < adj.firstOut[v + 1]; e++) relax(adj.head[e], d + adj.metres[e]);
      }
    }
    return null;
  }
}

/**
 * Travel times (s) from each source node to the point the legs lead to, on the engine's graph with
 * its closures: `min over legs (time(source -> leg.node) + leg.seconds)`, each term from one
 * one-to-many search of the engine, so as exact as the engine (equal to Dijkstra's on the graph with
 * a node inserted at the point). `Infinity` when no leg is reachable; legs along a closed edge are
 * skipped. No validation.
 */
export function travelTimesToLegs(engine: RoutingEngine, legs: readonly AccessLeg[], sources: ArrayLike<number>): Float64Array {
  const best = new Float64Array(sources.length).fill(Infinity);
  for (const leg of legs) {
    if (leg.edge >= 0 && engine.closed[leg.edge] === 1) continue;
    const t = engine.travelTimesTo(leg.node, sources);
    for (let i = 0; i < t.length; i++) if (t[i] + leg.seconds < best[i]) best[i] = t[i] + leg.seconds;
  }
  return best;
}

/** The fastest of the engine's routes from `from` to one of the legs, with that leg; `null` if none. */
export function routeToLegs(engine: RoutingEngine, from: number, legs: readonly AccessLeg[]): { path: EnginePath; leg: AccessLeg } | null {
  let out: { path: EnginePath; leg: AccessLeg } | null = null;
  for (const leg of legs) {
    if (leg.edge >= 0 && engine.closed[leg.edge] === 1) continue;
    const path = from === leg.node ? { seconds: 0, edges: [] } : engine.route(from, leg.node);
    if (path !== null && (out === null || path.seconds + leg.seconds < out.path.seconds + out.leg.seconds)) out = { path, leg };
  }
  return out;
}
