import { MinHeap } from './min-heap';
import type { CsrAdjacency, RoadGraph } from './osm-graph';

/**
 * The reversed graph of `forward` in CSR form, with `forwardEdge[e']` = the index in `forward` of the
 * original edge that reversed edge `e'` stands for (so closures, keyed by forward edge id, apply to
 * both directions of search).
 */
export interface ReverseCsr {
  readonly firstOut: Uint32Array;
  readonly head: Uint32Array;
  readonly seconds: Float64Array;
  readonly forwardEdge: Uint32Array;
}

/** Builds {@link ReverseCsr} from a forward CSR adjacency (counting sort by head, O(V + E)). */
export function reverseCsr(forward: CsrAdjacency, nodeCount: number): ReverseCsr {
  const { firstOut: fo, head: fh, seconds: fs } = forward;
  const m = fh.length;
  const firstOut = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) firstOut[fh[e] + 1]++;
  for (let v = 0; v < nodeCount; v++) firstOut[v + 1] += firstOut[v];
  const fill = firstOut.slice(0, nodeCount);
  const head = new Uint32Array(m);
  const seconds = new Float64Array(m);
  const forwardEdge = new Uint32Array(m);
  for (let u = 0; u < nodeCount; u++) {
    for (let e = fo[u]; e < fo[u + 1]; e++) {
      const p = fill[fh[e]]++;
      head[p] = u;
      seconds[p] = fs[e];
      forwardEdge[p] = e;
    }
  }
  return { firstOut, head, seconds, forwardEdge };
}

/**
 * A per-node lower bound of the remaining travel time (s) to a destination: node `v`'s bound is
 * `values[index[v]]` (e.g. open-road times from a contraction-hierarchy sweep, indexed by rank).
 */
export interface Potential {
  readonly values: Float64Array;
  readonly index: Uint32Array;
}

/**
 * Plain Dijkstra (E. W. Dijkstra, Numer. Math. 1, 1959) over a {@link RoadGraph} with a typed-array
 * binary heap and generation-stamped scratch arrays: the exact reference the contraction hierarchy
 * is checked against, the benchmark's baseline, and the fallback for queries whose fastest open-road
 * path crosses a closure. Edges whose forward id is marked in `closed` (1 = closed) are skipped.
 * Times are seconds. Not re-entrant (scratch arrays are shared), which is fine as calls are synchronous.
 */
export class DijkstraSearch {
  /** Travel time of the last search's settled nodes, seconds (valid where {@link isSettled}). */
  readonly dist: Float64Array;
  /** Forward edge id by which the last point-to-point search reached each node. */
  readonly parentEdge: Uint32Array;
  private readonly parentNode: Uint32Array;
  private readonly seen: Uint32Array;
  private readonly done: Uint32Array;
  private readonly want: Uint32Array;
  private readonly heap: MinHeap;
  private readonly reverse: ReverseCsr;
  private generation = 0;
  private settled = 0;

  /**
   * @param graph the road graph (its `forward` adjacency is searched; the reverse is rebuilt with edge ids).
   * @param closed per forward edge id, 1 if the edge is closed; shared by reference (the owner updates it).
   */
  constructor(
    private readonly graph: RoadGraph,
    private readonly closed: Uint8Array = new Uint8Array(graph.edgeCount),
    reverse?: ReverseCsr,
  ) {
    const n = graph.nodeCount;
    this.reverse = reverse ?? reverseCsr(graph.forward, n);
    this.dist = new Float64Array(n);
    this.parentEdge = new Uint32Array(n);
    this.parentNode = new Uint32Array(n);
    this.seen = new Uint32Array(n);
    this.done = new Uint32Array(n);
    this.want = new Uint32Array(n);
    this.heap = new MinHeap(Math.max(1024, graph.edgeCount + 1));
  }

  /**
   * Travel times (s) from each of `sources` to `target` by one search on the reversed graph, stopping
   * once every source is settled. `result[i]` is `Infinity` when `sources[i]` cannot reach `target`.
   * No validation (callers validate node ids).
   */
  travelTimesTo(target: number, sources: ArrayLike<number>): Float64Array {
    const result = new Float64Array(sources.length).fill(Infinity);
    if (sources.length === 0) return result;
    const gen = this.nextGeneration();
    const { want, done, dist } = this;
    let remaining = 0;
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i];
      if (want[s] !== gen) {
        want[s] = gen;
        remaining++;
      }
    }
    const r = this.reverse;
    this.search(r.firstOut, r.head, r.seconds, r.forwardEdge, target, gen, (u) => want[u] === gen && --remaining === 0);
    for (let i = 0; i < sources.length; i++) if (done[sources[i]] === gen) result[i] = dist[sources[i]];
    return result;
  }

  /**
   * Fastest path from `from` to `to`: `{ seconds, edges }` with `edges` the forward edge ids in
   * travel order, or `null` when `to` cannot be reached. No validation. With a `potential` (a lower
   * bound of every node's remaining time to `to` that is consistent: `h(u) <= w(u, v) + h(v)`), the
   * search is A* (P. Hart, N. Nilsson, B. Raphael, IEEE Trans. SSC 4(2), 1968), still exact, and
   * nodes whose bound is Infinity are never entered.
   */
  route(from: number, to: number, potential?: Potential): { seconds: number; edges: number[] } | null {
    const gen = this.nextGeneration();
    const f = this.graph.forward;
    this.search(f.firstOut, f.head, f.seconds, null, from, gen, (u) => u === to, potential);
    if (this.done[to] !== gen) return null;
    const edges: number[] = [];
    for (let v = to; v !== from; v = this.parentNode[v]) edges.push(this.parentEdge[v]);
    edges.reverse();
    return { seconds: this.dist[to], edges };
  }

  /** Travel time (s) from `from` to `to`, `Infinity` if unreachable; `potential` as in {@link route}. No validation. */
  travelTime(from: number, to: number, potential?: Potential): number {
    const gen = this.nextGeneration();
    const f = this.graph.forward;
    this.search(f.firstOut, f.head, f.seconds, null, from, gen, (u) => u === to, potential);
    return this.done[to] === gen ? this.dist[to] : Infinity;
  }

  /** Number of nodes the last search settled (its cost). */
  get lastSettledCount(): number {
    return this.settled;
  }

  /** True if `node` was settled by the last search. */
  isSettled(node: number): boolean {
    return this.done[node] === this.generation;
  }

  private search(
    firstOut: Uint32Array, head: Uint32Array, seconds: Float64Array, edgeId: Uint32Array | null,
    origin: number, gen: number, stop: (u: number) => boolean, potential?: Potential,
  ): void {
    const { heap, dist, seen, done, parentNode, parentEdge, closed } = this;
    const pv = potential?.values;
    const pi = potential?.index;
    heap.clear();
    dist[origin] = 0;
    seen[origin] = gen;
    heap.push(0, origin);
    let settled = 0;
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u] === gen) continue; // stale duplicate
      done[u] = gen;
      settled++;
      if (stop(u)) break;
      const d = dist[u];
      for (let e = firstOut[u], end = firstOut[u + 1]; e < end; e++) {
        const id = edgeId === null ? e : edgeId[e];
        if (closed[id] === 1) continue;
        const w = head[e];
        if (done[w] === gen) continue;
        const nd = d + seconds[e];
        if (seen[w] !== gen || nd < dist[w]) {
          let key = nd;
          if (pv !== undefined) {
            const h = pv[pi![w]];
            if (h === Infinity) continue; // w cannot reach the destination at all
            key += h;
          }
          seen[w] = gen;
          dist[w] = nd;
          parentNode[w] = u;
          parentEdge[w] = id;
          heap.push(key, w);
        }
      }
    }
    heap.clear();
    this.settled = settled;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.done.fill(0);
      this.want.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}
