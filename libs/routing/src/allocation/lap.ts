/**
 * Linear assignment (min-cost bipartite matching) on a dense cost matrix, typed arrays only.
 *
 * Algorithm: shortest augmenting paths with dual potentials, one row at a time (Jonker & Volgenant,
 * Computing 38, 1987), in the rectangular form of D. F. Crouse, "On implementing 2D rectangular
 * assignment algorithms", IEEE Trans. Aerospace and Electronic Systems 52(4), 2016 (the algorithm of
 * SciPy's `linear_sum_assignment`). O(r^2 c) worst case for r rows <= c columns.
 */

/** Result of {@link solveAssignment}. */
export interface AssignmentSolution {
  /** `rowToCol[i]` = column given to row i, or -1 when rows > columns and row i got none. */
  rowToCol: Int32Array;
  /** `colToRow[j]` = row given column j, or -1. */
  colToRow: Int32Array;
  /** Sum of the chosen costs. */
  total: number;
}

/** Problems at least this large (rows x cols) are solved on a sparse candidate graph first (see {@link lapSparseVerified}). */
const SPARSE_MIN_ENTRIES = 40_000;
/** Candidate columns kept per row in the sparse solve: its cheapest ones. */
const SPARSE_K = 24;
/** Rounds of adding the pairs that break dual feasibility before falling back to the dense solve. */
const SPARSE_ROUNDS = 4;

/**
 * Minimum-cost assignment of rows to distinct columns. Every row gets a column when rows <= columns;
 * otherwise every column gets a row. Forbidden pairs should be given a large finite cost by the
 * caller (the allocator uses a cost above any sum of allowed costs), so that the number of allowed
 * pairs is maximised first.
 * Large problems (at least 40,000 entries) are first solved on a sparse candidate graph (each row's
 * 24 cheapest columns), then proved optimal for the whole matrix by the dual check of
 * {@link lapSparseVerified}; pairs that fail it join the graph and it is solved again, and the dense
 * solve is the fallback. The answer is the exact optimum either way (`method` forces one path, for tests).
 * @param cost row-major `rows x cols` costs (any finite numbers)
 * @throws RangeError when `cost.length !== rows * cols` or a cost is not finite
 */
export function solveAssignment(
  cost: Float64Array | readonly number[],
  rows: number,
  cols: number,
  options: { method?: 'auto' | 'dense' | 'sparse' } = {},
): AssignmentSolution {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || cost.length !== rows * cols) {
    throw new RangeError(`cost must hold rows x cols = ${rows} x ${cols} entries, got ${cost.length}`);
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k])) throw new RangeError(`cost[${k}] must be finite, got ${String(cost[k])}`);
  }
  const method = options.method ?? 'auto';
  const sparse = method === 'sparse' || (method === 'auto' && rows * cols >= SPARSE_MIN_ENTRIES && cols > SPARSE_K);
  if (rows <= cols) {
    const c = cost instanceof Float64Array ? cost : Float64Array.from(cost);
    const { col4row, row4col } = (sparse && lapSparseVerified(c, rows, cols)) || lapRect(c, rows, cols);
    let total = 0;
    for (let i = 0; i < rows; i++) total += c[i * cols + col4row[i]];
    return { rowToCol: col4row, colToRow: row4col, total };
  }
  // More rows than columns: solve the transpose.
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = cost[i * cols + j];
  const { col4row, row4col } = (sparse && lapSparseVerified(t, cols, rows)) || lapRect(t, cols, rows);
  let total = 0;
  for (let j = 0; j < cols; j++) total += t[j * rows + col4row[j]];
  return { rowToCol: row4col, colToRow: col4row, total };
}

/** Core for nr <= nc. Returns col4row (length nr) and row4col (length nc, -1 when unused). */
function lapRect(cost: Float64Array, nr: number, nc: number): { col4row: Int32Array; row4col: Int32Array } {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const spc = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);
  const visitedRows = new Int32Array(nr);

  if (nr === nc) {
    // Square: Jonker-Volgenant column reduction. v[j] = least cost in column j, and the row holding it
    // takes column j when still free; every reduced cost c - u - v is then >= 0 and zero on the pairs
    // taken, so the augmentation below only has to place the remaining rows (often a small share).
    // (Rectangular problems keep v = 0: an unused column's potential must stay <= 0 there.)
    for (let j = 0; j < nc; j++) {
      let best = 0;
      for (let i = 1; i < nr; i++) if (cost[i * nc + j] < cost[best * nc + j]) best = i;
      v[j] = cost[best * nc + j];
      if (col4row[best] === -1) {
        col4row[best] = j;
        row4col[j] = best;
      }
    }
  }

  for (let curRow = 0; curRow < nr; curRow++) {
    if (col4row[curRow] !== -1) continue;
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SC.fill(0);
    spc.fill(Infinity);
    let nVisited = 0;
    let i = curRow;
    let sink = -1;
    while (sink === -1) {
      SR[i] = 1;
      visitedRows[nVisited++] = i;
      let index = -1;
      let lowest = Infinity;
      const base = i * nc;
      const ui = u[i];
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + cost[base + j] - ui - v[j];
        if (r < spc[j]) {
          path[j] = i;
          spc[j] = r;
        }
        const s = spc[j];
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new RangeError('assignment infeasible');
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    // Update the dual variables.
    u[curRow] += minVal;
    for (let k = 0; k < nVisited; k++) {
      const r = visitedRows[k];
      if (r !== curRow) u[r] += minVal - spc[col4row[r]];
      SR[r] = 0;
    }
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] -= minVal - spc[j];
    augmentPath(path, row4col, col4row, sink, curRow);
  }
  return { col4row, row4col };
}

/**
 * Exact assignment through a sparse candidate graph (rows <= cols): each row keeps its SPARSE_K
 * cheapest columns; the graph is solved by shortest augmenting paths with potentials (the same
 * algorithm as {@link lapRect}, with a binary heap over the columns a row reaches instead of a scan
 * of all columns); then the duals are checked against the whole matrix. LP duality: when every
 * reduced cost `c[i][j] - u[i] - v[j]` is >= 0, every column potential is <= 0 and unused columns
 * keep 0 (checked), the sparse optimum is optimal for the dense problem. Pairs with a negative
 * reduced cost join the graph; their rows get a potential low enough to keep every reduced cost
 * >= 0, are unplaced, and are placed again from the current duals (a warm start), up to
 * SPARSE_ROUNDS times. Square problems start from the column reduction of Jonker & Volgenant on the
 * candidate graph.
 * @returns the assignment, or null when the candidate graph has no complete assignment or the rounds
 *   ran out (the caller then solves densely)
 */
function lapSparseVerified(cost: Float64Array, nr: number, nc: number): SparseState | null {
  const k = Math.min(SPARSE_K, nc);
  const adj: number[][] = new Array(nr);
  const smallest = new Float64Array(k);
  for (let i = 0; i < nr; i++) {
    const base = i * nc;
    const kth = kthSmallestOfRow(cost, base, nc, k, smallest);
    const row: number[] = [];
    for (let j = 0; j < nc && row.length < 2 * k; j++) if (cost[base + j] <= kth) row.push(j);
    adj[i] = row;
  }
  const st: SparseState = {
    u: new Float64Array(nr),
    v: new Float64Array(nc),
    col4row: new Int32Array(nr).fill(-1),
    row4col: new Int32Array(nc).fill(-1),
  };
  if (nr === nc) {
    // Square: column reduction on the candidate graph (as in the dense solve), so most rows start placed.
    st.v.fill(Infinity);
    const holder = new Int32Array(nc).fill(-1);
    for (let i = 0; i < nr; i++) {
      for (const j of adj[i]) {
        const c = cost[i * nc + j];
        if (c < st.v[j]) {
          st.v[j] = c;
          holder[j] = i;
        }
      }
    }
    for (let j = 0; j < nc; j++) {
      if (st.v[j] === Infinity) st.v[j] = 0;
      const i = holder[j];
      if (i >= 0 && st.col4row[i] === -1) {
        st.col4row[i] = j;
        st.row4col[j] = i;
      }
    }
  }
  for (let round = 0; round < SPARSE_ROUNDS; round++) {
    if (!augmentSparse(cost, nr, nc, adj, st)) return null;
    const { u, v } = st;
    let violations = 0;
    for (let i = 0; i < nr; i++) {
      const base = i * nc;
      let lowest = u[i];
      const ui = u[i];
      for (let j = 0; j < nc; j++) {
        const c = cost[base + j];
        // Most pairs are plainly feasible (c >= u + v): one comparison each. A violation needs
        // c - u - v below a relative tolerance (potentials are sums of costs, so rounding scales with them).
        if (c >= ui + v[j]) continue;
        if (c - ui - v[j] < -1e-9 * (1 + Math.abs(c))) {
          adj[i].push(j);
          violations++;
          lowest = Math.min(lowest, c - v[j]);
        }
      }
      if (lowest < u[i]) {
        // Warm start: lower the row's potential so its new pairs are feasible, and place it again.
        u[i] = lowest;
        const j = st.col4row[i];
        if (j >= 0) {
          st.row4col[j] = -1;
          st.col4row[i] = -1;
        }
      }
    }
    if (violations === 0) {
      // Rectangular: a column left unused must keep potential 0 for the optimality proof.
      for (let j = 0; j < nc; j++) if (st.row4col[j] === -1 && v[j] < -1e-9) return null;
      return st;
    }
  }
  return null;
}

/** Potentials and partial assignment of the sparse solve (updated in place). */
interface SparseState {
  u: Float64Array;
  v: Float64Array;
  col4row: Int32Array;
  row4col: Int32Array;
}

/**
 * Places every free row of `st` by shortest augmenting paths on the candidate graph `adj` (row ->
 * columns), keeping reduced costs on the graph >= 0. @returns false when some row cannot be placed
 */
function augmentSparse(cost: Float64Array, nr: number, nc: number, adj: number[][], st: SparseState): boolean {
  const { u, v, col4row, row4col } = st;
  const spc = new Float64Array(nc).fill(Infinity);
  const path = new Int32Array(nc).fill(-1);
  const SC = new Uint8Array(nc);
  const touched = new Int32Array(nc);
  const settled = new Int32Array(nc);
  const visitedRows = new Int32Array(nr);
  const heap = new ColumnHeap(nc);
  for (let curRow = 0; curRow < nr; curRow++) {
    if (col4row[curRow] !== -1) continue;
    let nTouched = 0;
    let nSettled = 0;
    let nVisited = 0;
    let minVal = 0;
    let i = curRow;
    let sink = -1;
    heap.clear();
    while (sink === -1) {
      visitedRows[nVisited++] = i;
      const base = i * nc;
      const ui = u[i];
      const row = adj[i];
      for (let t = 0; t < row.length; t++) {
        const j = row[t];
        if (SC[j]) continue;
        const r = minVal + cost[base + j] - ui - v[j];
        if (r < spc[j]) {
          if (spc[j] === Infinity) touched[nTouched++] = j;
          spc[j] = r;
          path[j] = i;
          heap.push(j, r);
        }
      }
      const j = heap.pop();
      if (j < 0) {
        for (let t = 0; t < nTouched; t++) spc[touched[t]] = Infinity;
        for (let t = 0; t < nSettled; t++) SC[settled[t]] = 0;
        return false;
      }
      minVal = spc[j];
      SC[j] = 1;
      settled[nSettled++] = j;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
    }
    u[curRow] += minVal;
    for (let t = 0; t < nVisited; t++) {
      const r = visitedRows[t];
      if (r !== curRow) u[r] += minVal - spc[col4row[r]];
    }
    for (let t = 0; t < nSettled; t++) {
      const j = settled[t];
      v[j] -= minVal - spc[j];
      SC[j] = 0;
    }
    for (let t = 0; t < nTouched; t++) spc[touched[t]] = Infinity;
    augmentPath(path, row4col, col4row, sink, curRow);
  }
  return true;
}

/**
 * Flips the matching along a shortest augmenting path: from the free column `sink` back through
 * `path` (column -> row that reached it) to `curRow`, each row takes the column it reached.
 */
function augmentPath(path: Int32Array, row4col: Int32Array, col4row: Int32Array, sink: number, curRow: number): void {
  let j = sink;
  for (;;) {
    const r = path[j];
    row4col[j] = r;
    const prev = col4row[r];
    col4row[r] = j;
    j = prev;
    if (r === curRow) break;
  }
}

/** Indexed binary min-heap of columns keyed by tentative distance (decrease-key in place). */
class ColumnHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  private readonly pos: Int32Array;
  private size = 0;
  constructor(n: number) {
    this.items = new Int32Array(n);
    this.keys = new Float64Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }
  clear(): void {
    for (let t = 0; t < this.size; t++) this.pos[this.items[t]] = -1;
    this.size = 0;
  }
  /** Inserts column `j` with `key`, or lowers its key. */
  push(j: number, key: number): void {
    let p = this.pos[j];
    if (p < 0) {
      p = this.size++;
      this.items[p] = j;
      this.pos[j] = p;
    }
    this.keys[j] = key;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      const q = this.items[parent];
      if (this.keys[q] <= key) break;
      this.items[p] = q;
      this.pos[q] = p;
      p = parent;
    }
    this.items[p] = j;
    this.pos[j] = p;
  }
  /** Removes and answers the column of least key, or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.items[0];
    this.pos[top] = -1;
    const last = this.items[--this.size];
    if (this.size > 0) {
      const key = this.keys[last];
      let p = 0;
      for (;;) {
        let c = 2 * p + 1;
        if (c >= this.size) break;
        if (c + 1 < this.size && this.keys[this.items[c + 1]] < this.keys[this.items[c]]) c++;
        if (this.keys[this.items[c]] >= key) break;
        this.items[p] = this.items[c];
        this.pos[this.items[p]] = p;
        p = c;
      }
      this.items[p] = last;
      this.pos[last] = p;
    }
    return top;
  }
}

/**
 * The k-th smallest value (1-based) of `cost[base .. base + n)`, without reordering it: a sorted
 * buffer of the k smallest seen so far (`buf`, length >= k), where most values fail one comparison
 * with its largest. Same answer as sorting the row and taking index k - 1.
 */
function kthSmallestOfRow(cost: Float64Array, base: number, n: number, k: number, buf: Float64Array): number {
  let size = 0;
  for (let j = 0; j < n; j++) {
    const x = cost[base + j];
    if (size === k) {
      if (x >= buf[k - 1]) continue;
      size--;
    }
    let p = size++;
    while (p > 0 && buf[p - 1] > x) {
      buf[p] = buf[p - 1];
      p--;
    }
    buf[p] = x;
  }
  return buf[k - 1];
}
