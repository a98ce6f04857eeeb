import { mulberry32 } from '@cad/domain';
import { solveAssignment } from './lap';

/**
 * Large assignments are solved on each row's cheapest columns and proved optimal for the whole
 * matrix by the dual check: the sparse path must give exactly the dense optimum, on travel-like costs
 * (where the cheap columns of many rows overlap), uniform random costs, rectangular problems either
 * way, and a matrix built so that the cheapest columns alone cannot give every row one.
 */
describe('the sparse assignment path', () => {
  /** Seconds between random points in a 12 km square at 30 km/h (the allocation benchmark's costs). */
  const travel = (seed: number, rows: number, cols: number): Float64Array => {
    const rng = mulberry32(seed);
    const pts = (n: number) => Array.from({ length: n }, () => [rng() * 12000, rng() * 12000]);
    const a = pts(rows);
    const b = pts(cols);
    return Float64Array.from({ length: rows * cols }, (_, k) => {
      const [x, y] = a[Math.floor(k / cols)];
      const [p, q] = b[k % cols];
      return Math.round((Math.hypot(x - p, y - q) * 1.3) / 8.33 * (0.9 + 0.2 * rng()));
    });
  };

  const agree = (cost: Float64Array, rows: number, cols: number) => {
    const dense = solveAssignment(cost, rows, cols, { method: 'dense' });
    const sparse = solveAssignment(cost, rows, cols, { method: 'sparse' });
    expect(sparse.total).toBe(dense.total);
    const used = [...sparse.rowToCol].filter((j) => j >= 0);
    expect(new Set(used).size).toBe(Math.min(rows, cols));
    let total = 0;
    for (let i = 0; i < rows; i++) if (sparse.rowToCol[i] >= 0) total += cost[i * cols + sparse.rowToCol[i]];
    expect(total).toBe(sparse.total);
  };

  it('equals the dense optimum on travel-like costs, square and rectangular', () => {
    for (const [seed, r, c] of [[1, 300, 300], [2, 200, 500], [3, 500, 200], [4, 120, 121]] as const) agree(travel(seed, r, c), r, c);
  });

  it('equals the dense optimum on uniform random costs', () => {
    const rng = mulberry32(7);
    agree(Float64Array.from({ length: 400 * 400 }, () => Math.floor(rng() * 1800)), 400, 400);
  });

  it('still finds the optimum when every row prefers the same few columns', () => {
    // Column j costs j for every row (plus a little noise): the 24 cheapest columns of every row are
    // the same 24, so the candidate graph alone cannot place 100 rows; the dual check must add more.
    const rng = mulberry32(9);
    const n = 100;
    agree(Float64Array.from({ length: n * n }, (_, k) => (k % n) * 10 + Math.floor(rng() * 5)), n, n);
  });
});
