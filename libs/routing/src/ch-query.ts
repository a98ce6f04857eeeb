import type { ContractionHierarchyData } from './contraction-hierarchy';
import { MinHeap } from './min-heap';

/** Result of {@link ChQuery.route}: travel time and the forward edge ids of the path, in order. */
export interface ChPath {
  /** Travel time, seconds. */
  seconds: number;
  /** Forward edge ids (`RoadGraph.forward` indices) from origin to destination. */
  edges: number[];
  /** True if an arc of the path stands for a closed edge (see {@link ChQuery.setClosed}). */
  crossesClosure: boolean;
}

/**
 * Queries on a {@link ContractionHierarchyData}, with typed-array scratch space (not re-entrant;
 * every call runs synchronously to the end).
 *
 * - `route`: bidirectional upward Dijkstra with stall-on-demand (Geisberger et al., WEA 2008), the
 *   meeting arcs unpacked recursively into original edges.
 * - `travelTimesTo`: many sources to one target in one pass, after RPHAST (D. Delling, A. Goldberg,
 *   R. Werneck, "Faster Batched Shortest Paths in Road Networks", ATMOS 2011): one upward search
 *   from the target on the backward graph, then a sweep in decreasing rank over only the nodes
 *   reachable upward from the sources.
 *
 * Closures: the hierarchy keeps its open-road weights; {@link setClosed} marks ("taints") every arc
 * whose unpacked path contains a closed edge. Each answer reports whether the fastest open-road
 * path it found crosses a tainted arc. When it does not, that path exists on the closed graph and,
 * closures only lengthening paths, it is also fastest there: the answer is exact. When it does, the
 * caller must fall back to an exact search on the closed graph (see `RoutingEngine`).
 */
export class ChQuery {
  private readonly fDist: Float64Array;
  private readonly bDist: Float64Array;
  private readonly fSeen: Uint32Array;
  private readonly bSeen: Uint32Array;
  private readonly fDone: Uint32Array;
  private readonly bDone: Uint32Array;
  private readonly fParent: Int32Array;
  private readonly bParent: Int32Array;
  private readonly bTaint: Uint8Array;
  private readonly sweepDist: Float64Array;
  private readonly allDist: Float64Array;
  private readonly sweepTaint: Uint8Array;
  private readonly selected: Uint32Array;
  private readonly selectList: Uint32Array;
  private readonly fHeap = new MinHeap(1024);
  private readonly bHeap = new MinHeap(1024);
  private readonly taint: Uint8Array;
  /** Taints copied into CSR order (read sequentially by the searches) and each arc's slot there (~slot for `down`). */
  private readonly upTaint: Uint8Array;
  private readonly downTaint: Uint8Array;
  private readonly arcSlot: Int32Array;
  private taintedArcs = 0;
  private generation = 0;

  constructor(readonly ch: ContractionHierarchyData) {
    const n = ch.nodeCount;
    this.fDist = new Float64Array(n);
    this.bDist = new Float64Array(n);
    this.fSeen = new Uint32Array(n);
    this.bSeen = new Uint32Array(n);
    this.fDone = new Uint32Array(n);
    this.bDone = new Uint32Array(n);
    this.fParent = new Int32Array(n);
    this.bParent = new Int32Array(n);
    this.bTaint = new Uint8Array(n);
    this.sweepDist = new Float64Array(n);
    this.allDist = new Float64Array(n);
    this.sweepTaint = new Uint8Array(n);
    this.selected = new Uint32Array(n);
    this.selectList = new Uint32Array(n);
    this.taint = new Uint8Array(ch.arcCount);
    this.upTaint = new Uint8Array(ch.upArc.length);
    this.downTaint = new Uint8Array(ch.downArc.length);
    this.arcSlot = new Int32Array(ch.arcCount);
    for (let i = 0; i < ch.upArc.length; i++) this.arcSlot[ch.upArc[i]] = i;
    for (let i = 0; i < ch.downArc.length; i++) this.arcSlot[ch.downArc[i]] = ~i;
  }

  /** Number of hierarchy arcs (original or shortcut) that currently stand for a closed edge. */
  get taintedArcCount(): number {
    return this.taintedArcs;
  }

  /**
   * Recomputes the arc taints from `closed` (1 per closed forward edge id), one pass over the arcs
   * in children-first order: O(arcs), a few milliseconds for a million arcs.
   */
  setClosed(closed: Uint8Array): void {
    const { arcOrder, arcMid, arcEdge, arcChild1, arcChild2 } = this.ch;
    const taint = this.taint;
    let count = 0;
    for (let i = 0; i < arcOrder.length; i++) {
      const a = arcOrder[i];
      const t = arcMid[a] < 0 ? closed[arcEdge[a]] : taint[arcChild1[a]] | taint[arcChild2[a]];
      taint[a] = t;
      this.setSlotTaint(a, t);
      count += t;
    }
    this.taintedArcs = count;
  }

  /**
   * Updates the arc taints after the edges in `changedEdges` were closed or reopened in `closed`:
   * only the arcs standing for those edges and the shortcuts built on them (found through a
   * child→parent index built on first use) are recomputed, children first. Equivalent to
   * {@link setClosed}, but proportional to the number of affected arcs.
   */
  updateClosed(closed: Uint8Array, changedEdges: readonly number[]): void {
    const { arcMid, arcEdge, arcChild1, arcChild2, arcOrder } = this.ch;
    const idx = this.closureIndex();
    const taint = this.taint;
    const stamp = idx.stamp;
    const token = ++idx.token;
    const positions: number[] = [];
    const stack: number[] = [];
    for (const e of changedEdges) {
      const a = idx.edgeArc[e];
      if (a >= 0 && stamp[a] !== token) { stamp[a] = token; stack.push(a); }
    }
    while (stack.length > 0) {
      const a = stack.pop()!;
      positions.push(idx.arcPos[a]);
      for (let i = idx.parentFirst[a], end = idx.parentFirst[a + 1]; i < end; i++) {
        const p = idx.parents[i];
        if (stamp[p] !== token) { stamp[p] = token; stack.push(p); }
      }
    }
    const sorted = Uint32Array.from(positions).sort();
    let count = this.taintedArcs;
    for (let i = 0; i < sorted.length; i++) {
      const a = arcOrder[sorted[i]];
      const t = arcMid[a] < 0 ? closed[arcEdge[a]] : taint[arcChild1[a]] | taint[arcChild2[a]];
      count += t - taint[a];
      taint[a] = t;
      this.setSlotTaint(a, t);
    }
    this.taintedArcs = count;
  }

  private index: {
    edgeArc: Int32Array; arcPos: Uint32Array; parentFirst: Uint32Array; parents: Uint32Array; stamp: Uint32Array; token: number;
  } | undefined;

  /** Child→parent arc index (CSR), arc positions in `arcOrder`, and each edge's arc (-1 if merged away). */
  private closureIndex(): NonNullable<ChQuery['index']> {
    if (this.index !== undefined) return this.index;
    const { arcCount, arcMid, arcEdge, arcChild1, arcChild2, arcOrder, edgeCount } = this.ch;
    const edgeArc = new Int32Array(edgeCount).fill(-1);
    const arcPos = new Uint32Array(arcCount);
    const parentFirst = new Uint32Array(arcCount + 1);
    for (let i = 0; i < arcCount; i++) arcPos[arcOrder[i]] = i;
    for (let a = 0; a < arcCount; a++) {
      if (arcMid[a] < 0) edgeArc[arcEdge[a]] = a;
      else { parentFirst[arcChild1[a] + 1]++; parentFirst[arcChild2[a] + 1]++; }
    }
    for (let a = 0; a < arcCount; a++) parentFirst[a + 1] += parentFirst[a];
    const fill = parentFirst.slice(0, arcCount);
    const parents = new Uint32Array(parentFirst[arcCount]);
    for (let a = 0; a < arcCount; a++) {
      if (arcMid[a] >= 0) { parents[fill[arcChild1[a]]++] = a; parents[fill[arcChild2[a]]++] = a; }
    }
    this.index = { edgeArc, arcPos, parentFirst, parents, stamp: new Uint32Array(arcCount), token: 0 };
    return this.index;
  }

  /**
   * Fastest open-road path from node `from` to node `to` (original node ids), or `null` if there is none.
   * No validation (callers validate).
   */
  route(from: number, to: number): ChPath | null {
    const ch = this.ch;
    const gen = this.nextGeneration();
    const { fDist, bDist, fSeen, bSeen, fDone, bDone, fParent, bParent, fHeap, bHeap } = this;
    const { upFirst, upHead, upWeight, upArc, downFirst, downHead, downWeight, downArc } = ch;
    const s = ch.rank[from];
    const t = ch.rank[to];
    fHeap.clear(); bHeap.clear();
    fDist[s] = 0; fSeen[s] = gen; fParent[s] = -1; fHeap.push(0, s);
    bDist[t] = 0; bSeen[t] = gen; bParent[t] = -1; bHeap.push(0, t);
    let best = Infinity;
    let meet = -1;
    for (;;) {
      const fMin = fHeap.size > 0 ? fHeap.peekKey() : Infinity;
      const bMin = bHeap.size > 0 ? bHeap.peekKey() : Infinity;
      if (fMin >= best && bMin >= best) break;
      if (fMin <= bMin) {
        const u = fHeap.pop();
        if (fDone[u] === gen) continue;
        fDone[u] = gen;
        const d = fMin;
        if (bSeen[u] === gen && d + bDist[u] < best) { best = d + bDist[u]; meet = u; }
        let stalled = false;
        for (let i = downFirst[u], end = downFirst[u + 1]; i < end; i++) {
          const h = downHead[i];
          if (fSeen[h] === gen && fDist[h] + downWeight[i] < d) { stalled = true; break; }
        }
        if (stalled) continue;
        for (let i = upFirst[u], end = upFirst[u + 1]; i < end; i++) {
          const h = upHead[i];
          const nd = d + upWeight[i];
          if (fSeen[h] !== gen || nd < fDist[h]) { fSeen[h] = gen; fDist[h] = nd; fParent[h] = upArc[i]; fHeap.push(nd, h); }
        }
      } else {
        const u = bHeap.pop();
        if (bDone[u] === gen) continue;
        bDone[u] = gen;
        const d = bMin;
        if (fSeen[u] === gen && d + fDist[u] < best) { best = d + fDist[u]; meet = u; }
        let stalled = false;
        for (let i = upFirst[u], end = upFirst[u + 1]; i < end; i++) {
          const h = upHead[i];
          if (bSeen[h] === gen && bDist[h] + upWeight[i] < d) { stalled = true; break; }
        }
        if (stalled) continue;
        for (let i = downFirst[u], end = downFirst[u + 1]; i < end; i++) {
          const h = downHead[i];
          const nd = d + downWeight[i];
          if (bSeen[h] !== gen || nd < bDist[h]) { bSeen[h] = gen; bDist[h] = nd; bParent[h] = downArc[i]; bHeap.push(nd, h); }
        }
      }
    }
    fHeap.clear(); bHeap.clear();
    if (meet < 0) return null;

    // Hierarchy arcs from `from` up to the meeting node, then down to `to`.
    const arcs: number[] = [];
    for (let v = meet; fParent[v] >= 0; v = ch.rank[ch.arcTail[fParent[v]]]) arcs.push(fParent[v]);
    arcs.reverse();
    for (let v = meet; bParent[v] >= 0; v = ch.rank[ch.arcHead[bParent[v]]]) arcs.push(bParent[v]);
    let crossesClosure = false;
    for (const a of arcs) if (this.taint[a] === 1) crossesClosure = true;
    return { seconds: best, edges: this.unpack(arcs), crossesClosure };
  }

  /**
   * Open-road travel times (s) from every `sources[i]` to `target` (original node ids) into
   * `times[i]` (`Infinity` if unreachable), and `viaClosure[i] = 1` when the path found crosses a
   * closed edge. No validation.
   */
  travelTimesTo(target: number, sources: ArrayLike<number>, times: Float64Array, viaClosure: Uint8Array): void {
    const ch = this.ch;
    const gen = this.nextGeneration();
    const { bDist, bSeen, bTaint, upTaint, selected, selectList, sweepDist, sweepTaint } = this;
    const { upFirst, upHead, upWeight, rank } = ch;

    // 1. Backward upward search from the target, run to exhaustion.
    this.backwardSearch(rank[target], gen);

    // 2. Mark every node reachable upward from a source (depth-first; `selectList` is the stack).
    let top = 0;
    for (let i = 0; i < sources.length; i++) {
      const r = rank[sources[i]];
      if (selected[r] !== gen) { selected[r] = gen; selectList[top++] = r; }
    }
    let highest = 0;
    while (top > 0) {
      const v = selectList[--top];
      if (v > highest) highest = v;
      for (let i = upFirst[v], end = upFirst[v + 1]; i < end; i++) {
        const h = upHead[i];
        if (selected[h] !== gen) { selected[h] = gen; selectList[top++] = h; }
      }
    }

    // 3. Downward sweep over the marked nodes in decreasing rank (a scan of the marks, cheaper than
    //    sorting them): dist(v) = min(backward label, arc + dist(higher end)). Taints are carried
    //    only when some arc is tainted.
    const tainted = this.taintedArcs > 0;
    for (let v = highest; v >= 0; v--) {
      if (selected[v] !== gen) continue;
      const fromTarget = bSeen[v] === gen;
      let d = fromTarget ? bDist[v] : Infinity;
      if (!tainted) {
        for (let i = upFirst[v], end = upFirst[v + 1]; i < end; i++) {
          const nd = upWeight[i] + sweepDist[upHead[i]];
          if (nd < d) d = nd;
        }
        sweepDist[v] = d;
        sweepTaint[v] = 0;
        continue;
      }
      let tv = fromTarget ? bTaint[v] : 0;
      for (let i = upFirst[v], end = upFirst[v + 1]; i < end; i++) {
        const h = upHead[i];
        const nd = upWeight[i] + sweepDist[h];
        if (nd < d) {
          d = nd; tv = upTaint[i] | sweepTaint[h];
        } else if (nd === d && tv === 1 && (upTaint[i] | sweepTaint[h]) === 0) {
          tv = 0; // an equally fast path that avoids every closure
        }
      }
      sweepDist[v] = d;
      sweepTaint[v] = tv;
    }
    for (let i = 0; i < sources.length; i++) {
      const r = rank[sources[i]];
      times[i] = sweepDist[r];
      viaClosure[i] = sweepTaint[r];
    }
  }

  /**
   * Open-road travel time (s) from EVERY node to `target` (PHAST: D. Delling, A. Goldberg,
   * A. Nowatzyk, R. Werneck, "PHAST: Hardware-accelerated shortest path trees", IPDPS 2011): one
   * backward upward search, then one sweep over all nodes in decreasing rank. The returned array is
   * indexed by RANK (`result[ch.rank[v]]` for node `v`), `Infinity` where `target` is unreachable,
   * and is overwritten by the next call. Closures only lengthen trips, so these times are a consistent
   * A* potential on the closed graph (see `RoutingEngine`).
   */
  openTimesTo(target: number): Float64Array {
    const gen = this.nextGeneration();
    this.backwardSearch(this.ch.rank[target], gen);
    const { upFirst, upHead, upWeight, nodeCount } = this.ch;
    const { bDist, bSeen, allDist } = this;
    for (let v = nodeCount - 1; v >= 0; v--) {
      let d = bSeen[v] === gen ? bDist[v] : Infinity;
      for (let i = upFirst[v], end = upFirst[v + 1]; i < end; i++) {
        const nd = upWeight[i] + allDist[upHead[i]];
        if (nd < d) d = nd;
      }
      allDist[v] = d;
    }
    return allDist;
  }

  /** Upward search on the backward graph from rank `t`, run to exhaustion, with stall-on-demand and taint labels. */
  private backwardSearch(t: number, gen: number): void {
    const { bDist, bSeen, bDone, bTaint, bHeap, downTaint } = this;
    const { upFirst, upHead, upWeight, downFirst, downHead, downWeight } = this.ch;
    bHeap.clear();
    bDist[t] = 0; bSeen[t] = gen; bTaint[t] = 0; bHeap.push(0, t);
    while (bHeap.size > 0) {
      const d = bHeap.peekKey();
      const u = bHeap.pop();
      if (bDone[u] === gen) continue;
      bDone[u] = gen;
      let stalled = false;
      for (let i = upFirst[u], end = upFirst[u + 1]; i < end; i++) {
        const h = upHead[i];
        if (bSeen[h] === gen && bDist[h] + upWeight[i] < d) { stalled = true; break; }
      }
      if (stalled) continue;
      const tu = bTaint[u];
      for (let i = downFirst[u], end = downFirst[u + 1]; i < end; i++) {
        const h = downHead[i];
        const nd = d + downWeight[i];
        if (bSeen[h] !== gen || nd < bDist[h]) {
          bSeen[h] = gen; bDist[h] = nd; bTaint[h] = tu | downTaint[i]; bHeap.push(nd, h);
        }
      }
    }
  }

  private setSlotTaint(a: number, t: number): void {
    const slot = this.arcSlot[a];
    if (slot >= 0) this.upTaint[slot] = t;
    else this.downTaint[~slot] = t;
  }

  /** Expands hierarchy arcs into forward edge ids (explicit stack, children in path order). */
  private unpack(arcs: readonly number[]): number[] {
    const { arcMid, arcChild1, arcChild2, arcEdge } = this.ch;
    const edges: number[] = [];
    const stack: number[] = [];
    for (let i = arcs.length - 1; i >= 0; i--) stack.push(arcs[i]);
    while (stack.length > 0) {
      const a = stack.pop()!;
      if (arcMid[a] < 0) edges.push(arcEdge[a]);
      else { stack.push(arcChild2[a]); stack.push(arcChild1[a]); }
    }
    return edges;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      for (const a of [this.fSeen, this.bSeen, this.fDone, this.bDone, this.selected]) a.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}
