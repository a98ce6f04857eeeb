import fc from 'fast-check';
import { allocateIncidents } from './allocate-incidents';
import { solveAssignment } from './lap';

/** Least sum over all ways to give each row a distinct column (rows <= cols), by enumeration. */
function bruteAssignment(cost: number[], rows: number, cols: number): number {
  let best = Infinity;
  const used = new Array(cols).fill(false);
  const go = (i: number, acc: number) => {
    if (acc >= best) return;
    if (i === rows) {
      best = acc;
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, acc + cost[i * cols + j]);
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

describe('optimality against brute force on small random cases', () => {
  it('solveAssignment finds the least total cost, rectangular either way', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 36, maxLength: 36 }),
        (r, c, pool) => {
          const cost = pool.slice(0, r * c);
          const sol = solveAssignment(cost, r, c);
          const t = Array.from({ length: r * c }, (_, k) => cost[(k % r) * c + Math.floor(k / r)]);
          const expected = r <= c ? bruteAssignment(cost, r, c) : bruteAssignment(t, c, r);
          expect(sol.total).toBe(expected);
          const usedCols = [...sol.rowToCol].filter((j) => j >= 0);
          expect(new Set(usedCols).size).toBe(Math.min(r, c));
        },
      ),
      { numRuns: 300, seed: 20170101 },
    );
  });

  it('allocateIncidents fills the most slots of the top class, then minimises its summed ETA', () => {
    const capsPool = ['engine', 'ambulance'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ priority: fc.constantFrom(1, 2), cap: fc.constantFrom(...capsPool) }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom(...capsPool), { minLength: 1, maxLength: 5 }),
        fc.array(fc.oneof(fc.integer({ min: 10, max: 600 }), fc.constant(Infinity)), { minLength: 20, maxLength: 20 }),
        (slots, unitCaps, etaPool) => {
          const incidents = slots.map((s, i) => ({ id: `i${i}`, priority: s.priority, slots: [s.cap] }));
          const units = unitCaps.map((c, j) => ({ id: `u${j}`, capabilities: [c] }));
          const eta = (i: number, j: number) => etaPool[(i * units.length + j) % etaPool.length];
          const res = allocateIncidents(incidents, units, (inc, u) => eta(Number(inc.slice(1)), Number(u.slice(1))));
          // Brute force: every injective partial map of incidents to units; score = (P1 filled, -P1 ETA sum, P2 filled, -P2 ETA sum).
          let best: number[] | null = null;
          const taken = new Array(units.length).fill(false);
          const score = [0, 0, 0, 0];
          const go = (i: number) => {
            if (i === incidents.length) {
              if (!best || lexGreater(score, best)) best = [...score];
              return;
            }
            go(i + 1); // leave unfilled
            const k = incidents[i].priority === 1 ? 0 : 2;
            for (let j = 0; j < units.length; j++) {
              const t = eta(i, j);
              if (taken[j] || !Number.isFinite(t) || units[j].capabilities[0] !== incidents[i].slots[0]) continue;
              taken[j] = true;
              score[k] += 1;
              score[k + 1] -= t;
              go(i + 1);
              score[k] -= 1;
              score[k + 1] += t;
              taken[j] = false;
            }
          };
          go(0);
          const got = [0, 0, 0, 0];
          res.incidents.forEach((r) => {
            const k = r.priority === 1 ? 0 : 2;
            for (const a of r.assigned) {
              got[k] += 1;
              got[k + 1] -= a.etaSeconds;
            }
          });
          expect(got).toEqual(best);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});

function lexGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}
