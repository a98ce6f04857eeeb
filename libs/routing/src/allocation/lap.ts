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

/**
 * Minimum-cost assignment of rows to distinct columns. Every row gets a column when rows <= columns;
 * otherwise every column gets a row. Forbidden pairs should be given a large finite cost by the
 * caller (the allocator uses a cost above any sum of allowed costs), so that the number of allowed
 * pairs is maximised first.
 * @param cost row-major `rows x cols` costs (any finite numbers)
 * @throws RangeError when `cost.length !== rows * cols` or a cost is not finite
 */
export function solveAssignment(cost: Float64Array | readonly number[], rows: number, cols: number): AssignmentSolution {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || cost.length !== rows * cols) {
    throw new RangeError(`cost must hold rows x cols = ${rows} x ${cols} entries, got ${cost.length}`);
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k])) throw new RangeError(`cost[${k}] must be finite, got ${String(cost[k])}`);
  }
  if (rows <= cols) {
    const c = cost instanceof Float64Array ? cost : Float64Array.from(cost);
    const { col4row, row4col } = lapRect(c, rows, cols);
    let total = 0;
    for (let i = 0; i < rows; i++) total += c[i * cols + col4row[i]];
    return { rowToCol: col4row, colToRow: row4col, total };
  }
  // More rows than columns: solve the transpose.
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = cost[i * cols + j];
  const { col4row, row4col } = lapRect(t, cols, rows);
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
    // Augment along the path.
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
  return { col4row, row4col };
}
