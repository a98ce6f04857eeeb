import { ChQuery } from './ch-query';
import { buildContractionHierarchy, type ContractionHierarchyData, type ContractionOptions } from './contraction-hierarchy';
import { DijkstraSearch } from './dijkstra';
import type { RoadGraph } from './osm-graph';

/** A path found by {@link RoutingEngine.route}. */
export interface EnginePath {
  /** Travel time, seconds. */
  seconds: number;
  /** Forward edge ids (`RoadGraph.forward` indices) from origin to destination, in order. */
  edges: number[];
}

/** Counters of {@link RoutingEngine}, for the benchmark and for monitoring. */
export interface EngineCounters {
  /** Queries answered by the contraction hierarchy alone. */
  hierarchy: number;
  /** Queries (or sources of a one-to-many query) that needed the exact closed-graph Dijkstra. */
  fallback: number;
}

/**
 * Exact travel-time engine: a contraction hierarchy for speed, plain Dijkstra on the closed graph
 * for the answers a closure may change.
 *
 * Edge ids are `RoadGraph.forward` indices (`0 .. edgeCount - 1`); a two-way street segment has two
 * ids, one per direction. Closing an edge makes it impassable; the hierarchy is not rebuilt:
 * `ChQuery.updateClosed` marks the hierarchy arcs standing for closed edges, and a query whose
 * fastest open-road path avoids them is exact as it is (closing roads never shortens a trip); the
 * others are recomputed on the closed graph: by A* whose potential is the open-road time to the
 * destination from one PHAST sweep of the hierarchy (consistent, since closures only lengthen trips,
 * so the search explores little more than the detour), or, once the A* searches of a one-to-many
 * query have settled half the graph, by one reverse Dijkstra for its remaining cut sources. Still
 * exact, and `Infinity` / `null` when the closures disconnect the pair. Applying closures recomputes
 * only the arcs built on the changed edges.
 */
export class RoutingEngine {
  /** Per forward edge id, 1 if closed. Read-only for callers: use the closure methods. */
  readonly closed: Uint8Array;
  /** Query counters since construction. */
  readonly counters: EngineCounters = { hierarchy: 0, fallback: 0 };
  private readonly query: ChQuery;
  private readonly dijkstra: DijkstraSearch;
  private closedCount = 0;
  private closureRevision = 0;

  /**
   * @param graph the road graph the hierarchy was built from.
   * @param ch its contraction hierarchy (from {@link buildContractionHierarchy} or the disk cache).
   * @throws {Error} if `ch` was built for a graph of another size.
   */
  constructor(readonly graph: RoadGraph, readonly ch: ContractionHierarchyData) {
    if (ch.nodeCount !== graph.nodeCount || ch.edgeCount !== graph.edgeCount) {
      throw new Error(
        `RoutingEngine: hierarchy is for ${ch.nodeCount} nodes / ${ch.edgeCount} edges, graph has ${graph.nodeCount} / ${graph.edgeCount}`,
      );
    }
    this.closed = new Uint8Array(graph.edgeCount);
    this.query = new ChQuery(ch);
    this.query.updateClosed(this.closed, []); // builds the closure index now, not on the first closure
    this.dijkstra = new DijkstraSearch(graph, this.closed);
  }

  /** Contracts `graph` and wraps it (see {@link buildContractionHierarchy} for time and options). */
  static build(graph: RoadGraph, options?: ContractionOptions): RoutingEngine {
    return new RoutingEngine(graph, buildContractionHierarchy(graph, options));
  }

  /** Number of closed edges. */
  get closedEdgeCount(): number {
    return this.closedCount;
  }

  /** Counts the changes of the closure set (0 at construction): a cache of closure-dependent facts keys on it. */
  get revision(): number {
    return this.closureRevision;
  }

  /** Ids of the closed edges, ascending. */
  closedEdgeIds(): number[] {
    const ids: number[] = [];
    for (let e = 0; e < this.closed.length; e++) if (this.closed[e] === 1) ids.push(e);
    return ids;
  }

  /**
   * Replaces the set of closed edges; every later query honours it.
   * @throws {RangeError} for an id that is not an integer in `[0, edgeCount)` (nothing is changed then).
   */
  setClosures(edgeIds: Iterable<number>): void {
    const ids = this.checkEdges(edgeIds);
    const next = new Uint8Array(this.closed.length);
    for (const e of ids) next[e] = 1;
    const changed: number[] = [];
    for (let e = 0; e < next.length; e++) if (next[e] !== this.closed[e]) changed.push(e);
    this.apply(changed, next);
  }

  /** Closes the given edges in addition to those already closed. @throws {RangeError} as {@link setClosures}. */
  closeEdges(edgeIds: Iterable<number>): void {
    this.apply(this.checkEdges(edgeIds).filter((e) => this.closed[e] === 0), 1);
  }

  /** Reopens the given edges (ids not closed are ignored). @throws {RangeError} as {@link setClosures}. */
  reopenEdges(edgeIds: Iterable<number>): void {
    this.apply(this.checkEdges(edgeIds).filter((e) => this.closed[e] === 1), 0);
  }

  /**
   * Fastest path from `from` to `to` on the graph with closures, or `null` if none. No validation.
   * Exact: equal to Dijkstra's travel time on the closed graph.
   */
  route(from: number, to: number): EnginePath | null {
    const p = this.query.route(from, to);
    if (p !== null && !(p.crossesClosure && this.closedCount > 0)) {
      this.counters.hierarchy++;
      return { seconds: p.seconds, edges: p.edges };
    }
    if (p === null) {
      this.counters.hierarchy++;
      return null; // no open-road path, so none on the closed graph either
    }
    this.counters.fallback++;
    return this.dijkstra.route(from, to, { values: this.query.openTimesTo(to), index: this.ch.rank });
  }

  /**
   * Travel times (s) from each of `sources` to `target` on the graph with closures; `Infinity` when a
   * source cannot reach the target. One hierarchy pass for all sources, plus, for each source whose
   * fastest open-road path is closed, an A* search on the closed graph (or one reverse Dijkstra from
   * the target for the remaining ones once those searches grow costly). No validation.
   */
  travelTimesTo(target: number, sources: ArrayLike<number>): Float64Array {
    const times = new Float64Array(sources.length);
    if (sources.length === 0) return times;
    const via = new Uint8Array(sources.length);
    this.query.travelTimesTo(target, sources, times, via);
    if (this.closedCount === 0) {
      this.counters.hierarchy += sources.length;
      return times;
    }
    const redo: number[] = [];
    for (let i = 0; i < sources.length; i++) if (via[i] === 1 && times[i] !== Infinity) redo.push(i);
    this.counters.hierarchy += sources.length - redo.length;
    if (redo.length === 0) return times;
    this.counters.fallback += redo.length;
    // One A* per cut source while their total cost stays under half a full search; the rest, if
    // any, by one reverse Dijkstra from the target.
    const potential = { values: this.query.openTimesTo(target), index: this.ch.rank };
    const budget = this.graph.nodeCount / 2;
    let spent = 0;
    let k = 0;
    for (; k < redo.length && spent < budget; k++) {
      times[redo[k]] = this.dijkstra.travelTime(sources[redo[k]], target, potential);
      spent += this.dijkstra.lastSettledCount;
    }
    if (k < redo.length) {
      const rest = redo.slice(k);
      const exact = this.dijkstra.travelTimesTo(target, rest.map((i) => sources[i]));
      rest.forEach((i, j) => (times[i] = exact[j]));
    }
    return times;
  }

  /** Sets `closed[e]` for the `changed` edges (to `value`, or to `value[e]`) and updates the taints. */
  private apply(changed: readonly number[], value: 0 | 1 | Uint8Array): void {
    const unique = Array.from(new Set(changed));
    if (unique.length > 0) this.closureRevision++;
    for (const e of unique) {
      const v = typeof value === 'number' ? value : value[e];
      this.closedCount += v - this.closed[e];
      this.closed[e] = v;
    }
    if (unique.length > this.closed.length / 8) this.query.setClosed(this.closed); // one full pass is cheaper
    else if (unique.length > 0) this.query.updateClosed(this.closed, unique);
  }

  private checkEdges(edgeIds: Iterable<number>): number[] {
    const ids = Array.from(edgeIds);
    for (const e of ids) {
      if (!Number.isInteger(e) || e < 0 || e >= this.graph.edgeCount) {
        throw new RangeError(`edge id must be an integer in [0, ${this.graph.edgeCount}), got ${String(e)}`);
      }
    }
    return ids;
  }
}
