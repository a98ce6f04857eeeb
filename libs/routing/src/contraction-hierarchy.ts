import { MinHeap } from './min-heap';
import type { RoadGraph } from './osm-graph';

/**
 * Version of the contraction-hierarchy layout and algorithm; part of the on-disk cache key, so a
 * change to either invalidates cached files. Bump it whenever `buildContractionHierarchy` changes.
 */
export const CH_ENGINE_VERSION = 1;

/**
 * A contraction hierarchy (R. Geisberger, P. Sanders, D. Schultes, D. Delling, "Contraction
 * Hierarchies: Faster and Simpler Hierarchical Routing in Road Networks", WEA 2008) over a
 * {@link RoadGraph}, all in typed arrays.
 *
 * - `rank[v]`: contraction order of original node `v` (0 = contracted first); `nodeOfRank` is its inverse.
 * - Arcs (original edges and shortcuts, `arcCount` of them): `arcTail`/`arcHead` original node ids,
 *   `arcWeight` seconds; `arcMid[a]` is the contracted node a shortcut bypasses (-1 for an original
 *   edge), `arcChild1`/`arcChild2` the two arcs it stands for (tail→mid, mid→head), `arcEdge[a]` the
 *   forward edge id of an original arc (-1 for a shortcut). Parallel original edges are merged into
 *   one arc carrying the fastest edge.
 * - `arcOrder`: every arc after both its children (sorted by the lower rank of its ends).
 * - `up*`: CSR over ranks of the arcs `r → h` with `rank h > r` (forward upward graph);
 *   `down*`: CSR over ranks of the arcs `h → r` with `h > r`, stored at `r` (backward upward graph).
 *   `*Head` are ranks, `*Weight` seconds, `*Arc` global arc ids.
 */
export interface ContractionHierarchyData {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly arcCount: number;
  readonly rank: Uint32Array;
  readonly nodeOfRank: Uint32Array;
  readonly arcTail: Uint32Array;
  readonly arcHead: Uint32Array;
  readonly arcWeight: Float64Array;
  readonly arcMid: Int32Array;
  readonly arcChild1: Int32Array;
  readonly arcChild2: Int32Array;
  readonly arcEdge: Int32Array;
  readonly arcOrder: Uint32Array;
  readonly upFirst: Uint32Array;
  readonly upHead: Uint32Array;
  readonly upWeight: Float64Array;
  readonly upArc: Uint32Array;
  readonly downFirst: Uint32Array;
  readonly downHead: Uint32Array;
  readonly downWeight: Float64Array;
  readonly downArc: Uint32Array;
}

/** Options of {@link buildContractionHierarchy}. */
export interface ContractionOptions {
  /**
   * Nodes a witness search may settle before giving up (a cut-off only adds shortcuts, never loses
   * exactness). Default 100.
   */
  witnessSettleLimit?: number;
}

/** Growable arc table used while contracting. */
class ArcStore {
  tail: Uint32Array;
  head: Uint32Array;
  weight: Float64Array;
  mid: Int32Array;
  c1: Int32Array;
  c2: Int32Array;
  edge: Int32Array;
  hops: Uint32Array;
  count = 0;

  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.tail = new Uint32Array(cap);
    this.head = new Uint32Array(cap);
    this.weight = new Float64Array(cap);
    this.mid = new Int32Array(cap);
    this.c1 = new Int32Array(cap);
    this.c2 = new Int32Array(cap);
    this.edge = new Int32Array(cap);
    this.hops = new Uint32Array(cap);
  }

  add(tail: number, head: number, weight: number, mid: number, c1: number, c2: number, edge: number, hops: number): number {
    if (this.count === this.tail.length) this.grow();
    const a = this.count++;
    this.tail[a] = tail; this.head[a] = head; this.weight[a] = weight;
    this.mid[a] = mid; this.c1[a] = c1; this.c2[a] = c2; this.edge[a] = edge; this.hops[a] = hops;
    return a;
  }

  private grow(): void {
    const cap = this.tail.length * 2;
    const g = <T extends Uint32Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.tail = g(this.tail, (n) => new Uint32Array(n));
    this.head = g(this.head, (n) => new Uint32Array(n));
    this.weight = g(this.weight, (n) => new Float64Array(n));
    this.mid = g(this.mid, (n) => new Int32Array(n));
    this.c1 = g(this.c1, (n) => new Int32Array(n));
    this.c2 = g(this.c2, (n) => new Int32Array(n));
    this.edge = g(this.edge, (n) => new Int32Array(n));
    this.hops = g(this.hops, (n) => new Uint32Array(n));
  }
}

/**
 * Contracts every node of `graph` in order of a lazily updated priority
 * `depth + 2·added/removed arcs + added/removed original hops` (the edge-quotient terms of OSRM's
 * contractor; a node is re-simulated when popped if a neighbour was contracted since), inserting a shortcut u→w for each in/out pair of the contracted node unless a
 * witness search (Dijkstra bounded by the shortcut's weight and a settle limit) finds a path at
 * most as fast around it. Exact for the given weights: the cut-off can only add shortcuts.
 * Time grows a little faster than the node count: about 0.3 s of CPU for the San Francisco graph
 * (11,600 nodes) and 27–30 s for the 250,000-node synthetic city (bench/results/routing.json).
 * @throws {Error} if the graph has more than 2^31 - 1 arcs after contraction (typed-array limit).
 */
export function buildContractionHierarchy(graph: RoadGraph, options: ContractionOptions = {}): ContractionHierarchyData {
  const witnessLimit = options.witnessSettleLimit ?? 100;
  const n = graph.nodeCount;
  const { firstOut, head, seconds } = graph.forward;
  const store = new ArcStore(graph.edgeCount * 2);
  const outArcs: number[][] = new Array(n);
  const inArcs: number[][] = new Array(n);
  // Heads and weights of outArcs[v], inline, so that witness searches do not chase arc ids.
  const outHead: number[][] = new Array(n);
  const outWeight: number[][] = new Array(n);
  for (let v = 0; v < n; v++) { outArcs[v] = []; inArcs[v] = []; outHead[v] = []; outWeight[v] = []; }

  // Original arcs, parallel edges merged into the fastest one.
  const stamp = new Int32Array(n).fill(-1);
  const slot = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    for (let e = firstOut[u]; e < firstOut[u + 1]; e++) {
      const v = head[e];
      if (v === u) continue;
      if (stamp[v] === u) {
        const a = slot[v];
        if (seconds[e] < store.weight[a]) { store.weight[a] = seconds[e]; store.edge[a] = e; }
        continue;
      }
      const a = store.add(u, v, seconds[e], -1, -1, -1, e, 1);
      stamp[v] = u; slot[v] = a;
      outArcs[u].push(a); inArcs[v].push(a);
    }
  }
  for (let u = 0; u < n; u++) {
    for (const a of outArcs[u]) { outHead[u].push(store.head[a]); outWeight[u].push(store.weight[a]); }
  }

  const contracted = new Uint8Array(n);
  const depth = new Uint32Array(n);
  const rank = new Uint32Array(n);
  const priority = new Float64Array(n);

  // Witness search scratch.
  const wDist = new Float64Array(n);
  const wSeen = new Uint32Array(n);
  const wDone = new Uint32Array(n);
  const wHeap = new MinHeap(1024);
  let wGen = 0;
  // Out-neighbours of the node being contracted: a witness search stops once all are settled.
  const targetStamp = new Uint32Array(n);
  let targetToken = 0;
  let targetCount = 0;
  const witness = (source: number, excluded: number, bound: number, limit: number): void => {
    wGen++;
    let remaining = targetCount;
    wHeap.clear();
    wDist[source] = 0; wSeen[source] = wGen;
    wHeap.push(0, source);
    let settled = 0;
    while (wHeap.size > 0) {
      const d = wHeap.peekKey();
      const u = wHeap.pop();
      if (wDone[u] === wGen) continue;
      if (d > bound || ++settled > limit) break;
      wDone[u] = wGen;
      if (targetStamp[u] === targetToken && --remaining === 0) break;
      const heads = outHead[u];
      const weights = outWeight[u];
      for (let i = 0; i < heads.length; i++) {
        const v = heads[i];
        if (v === excluded) continue;
        const nd = d + weights[i];
        if (wSeen[v] !== wGen || nd < wDist[v]) { wSeen[v] = wGen; wDist[v] = nd; wHeap.push(nd, v); }
      }
    }
  };

  let added = 0;
  let addedHops = 0;
  const addShortcut = (u: number, v: number, c: number, x: number, a1: number, a2: number): void => {
    const hops = store.hops[a1] + store.hops[a2];
    const heads = outHead[u];
    for (let i = 0; i < heads.length; i++) {
      if (heads[i] !== v) continue;
      const a = outArcs[u][i];
      if (store.weight[a] <= c) return;
      store.weight[a] = c; store.mid[a] = x; store.c1[a] = a1; store.c2[a] = a2; store.edge[a] = -1; store.hops[a] = hops;
      outWeight[u][i] = c;
      return;
    }
    const a = store.add(u, v, c, x, a1, a2, -1, hops);
    outArcs[u].push(a); inArcs[v].push(a); heads.push(v); outWeight[u].push(c);
  };

  // Shortcuts found by the last simulation, inserted as they are if that node is contracted next.
  const pending: number[] = []; // groups of (u, v, weight, in-arc, out-arc)
  let pendingFor = -1;

  /** Counts the shortcuts needed to contract x (into `added`, `addedHops`, `pending`), or inserts them. */
  const contract = (x: number, simulate: boolean): void => {
    added = 0; addedHops = 0;
    pending.length = 0;
    pendingFor = simulate ? x : -1;
    const ins = inArcs[x];
    const outs = outArcs[x];
    const sw = store.weight;
    let maxOut = 0;
    targetCount = 0;
    targetToken++;
    for (let j = 0; j < outs.length; j++) {
      if (sw[outs[j]] > maxOut) maxOut = sw[outs[j]];
      const v = store.head[outs[j]];
      if (targetStamp[v] !== targetToken) { targetStamp[v] = targetToken; targetCount++; }
    }
    for (let i = 0; i < ins.length; i++) {
      const ai = ins[i];
      const u = store.tail[ai];
      const wi = sw[ai];
      witness(u, x, wi + maxOut, witnessLimit);
      for (let j = 0; j < outs.length; j++) {
        const ao = outs[j];
        const v = store.head[ao];
        if (v === u) continue;
        const c = wi + sw[ao];
        if (wSeen[v] === wGen && wDist[v] <= c) continue;
        added++;
        addedHops += store.hops[ai] + store.hops[ao];
        if (simulate) pending.push(u, v, c, ai, ao);
        else addShortcut(u, v, c, x, ai, ao);
      }
    }
  };

  const computePriority = (x: number): number => {
    contract(x, true);
    dirty[x] = 0;
    const ins = inArcs[x];
    const outs = outArcs[x];
    const removed = ins.length + outs.length;
    let removedHops = 0;
    for (let i = 0; i < ins.length; i++) removedHops += store.hops[ins[i]];
    for (let i = 0; i < outs.length; i++) removedHops += store.hops[outs[i]];
    return depth[x] + (2 * added) / Math.max(1, removed) + addedHops / Math.max(1, removedHops);
  };

  // dirty[x] = 1: a neighbour of x was contracted since x's priority was computed.
  const dirty = new Uint8Array(n);
  const pq = new MinHeap(n + 16);
  for (let v = 0; v < n; v++) {
    priority[v] = computePriority(v);
    pq.push(priority[v], v);
  }

  let order = 0;
  const neighbours: number[] = [];
  const nbStamp = new Int32Array(n).fill(-1);
  while (pq.size > 0) {
    const key = pq.peekKey();
    const x = pq.pop();
    if (contracted[x] || key !== priority[x]) continue; // stale entry
    if (dirty[x]) {
      // Lazy update: re-simulate; contract now only if x still comes first.
      const p = computePriority(x);
      if (pq.size > 0 && p > pq.peekKey()) {
        priority[x] = p;
        pq.push(p, x);
        continue;
      }
    }
    if (pendingFor === x) {
      for (let i = 0; i < pending.length; i += 5) addShortcut(pending[i], pending[i + 1], pending[i + 2], x, pending[i + 3], pending[i + 4]);
    } else {
      contract(x, false);
    }
    pendingFor = -1;
    contracted[x] = 1;
    rank[x] = order++;

    neighbours.length = 0;
    for (const a of inArcs[x]) {
      const u = store.tail[a];
      if (nbStamp[u] !== x) { nbStamp[u] = x; neighbours.push(u); }
    }
    for (const a of outArcs[x]) {
      const v = store.head[a];
      if (nbStamp[v] !== x) { nbStamp[v] = x; neighbours.push(v); }
    }
    // Neighbours' priorities change (depth, shortcuts); they are recomputed lazily when popped.
    for (const nb of neighbours) {
      const arcs = outArcs[nb];
      const heads = outHead[nb];
      const weights = outWeight[nb];
      let k = 0;
      for (let i = 0; i < arcs.length; i++) {
        if (heads[i] === x) continue;
        arcs[k] = arcs[i]; heads[k] = heads[i]; weights[k] = weights[i]; k++;
      }
      arcs.length = k; heads.length = k; weights.length = k;
      inArcs[nb] = inArcs[nb].filter((a) => store.tail[a] !== x);
      if (depth[nb] < depth[x] + 1) depth[nb] = depth[x] + 1;
      dirty[nb] = 1;
    }
  }

  return assemble(graph, store, rank);
}

/** Lays the contracted arcs out as rank-space CSR arrays (see {@link ContractionHierarchyData}). */
function assemble(graph: RoadGraph, store: ArcStore, rank: Uint32Array): ContractionHierarchyData {
  const n = graph.nodeCount;
  const m = store.count;
  if (m > 0x7fffffff) throw new Error('buildContractionHierarchy: too many arcs');
  const nodeOfRank = new Uint32Array(n);
  for (let v = 0; v < n; v++) nodeOfRank[rank[v]] = v;
  const upFirst = new Uint32Array(n + 1);
  const downFirst = new Uint32Array(n + 1);
  const lowRank = new Uint32Array(m);
  for (let a = 0; a < m; a++) {
    const rt = rank[store.tail[a]];
    const rh = rank[store.head[a]];
    if (rt < rh) { upFirst[rt + 1]++; lowRank[a] = rt; } else { downFirst[rh + 1]++; lowRank[a] = rh; }
  }
  for (let r = 0; r < n; r++) { upFirst[r + 1] += upFirst[r]; downFirst[r + 1] += downFirst[r]; }
  const mu = upFirst[n];
  const md = downFirst[n];
  const upHead = new Uint32Array(mu);
  const upWeight = new Float64Array(mu);
  const upArc = new Uint32Array(mu);
  const downHead = new Uint32Array(md);
  const downWeight = new Float64Array(md);
  const downArc = new Uint32Array(md);
  const upFill = upFirst.slice(0, n);
  const downFill = downFirst.slice(0, n);
  for (let a = 0; a < m; a++) {
    const rt = rank[store.tail[a]];
    const rh = rank[store.head[a]];
    if (rt < rh) {
      const p = upFill[rt]++;
      upHead[p] = rh; upWeight[p] = store.weight[a]; upArc[p] = a;
    } else {
      const p = downFill[rh]++;
      downHead[p] = rt; downWeight[p] = store.weight[a]; downArc[p] = a;
    }
  }
  // Children before parents: counting sort of arcs by their lower end's rank.
  const bucket = new Uint32Array(n + 1);
  for (let a = 0; a < m; a++) bucket[lowRank[a] + 1]++;
  for (let r = 0; r < n; r++) bucket[r + 1] += bucket[r];
  const arcOrder = new Uint32Array(m);
  for (let a = 0; a < m; a++) arcOrder[bucket[lowRank[a]]++] = a;

  return {
    nodeCount: n, edgeCount: graph.edgeCount, arcCount: m, rank, nodeOfRank,
    arcTail: store.tail.slice(0, m), arcHead: store.head.slice(0, m), arcWeight: store.weight.slice(0, m),
    arcMid: store.mid.slice(0, m), arcChild1: store.c1.slice(0, m), arcChild2: store.c2.slice(0, m),
    arcEdge: store.edge.slice(0, m), arcOrder,
    upFirst, upHead, upWeight, upArc, downFirst, downHead, downWeight, downArc,
  };
}
