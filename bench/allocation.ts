/**
 * Benchmark of the allocator and move-ups (issues 5 and 19). Not a test: run with `npm run bench:allocation`.
 *
 * Speed (synthetic, seeded): 1000 x 1000 assignment against SciPy's `linear_sum_assignment` on the
 * same matrix in the same run; 50 incidents x 300 units through `allocateIncidents`; move-up model
 * 100 stations x 1000 demand zones (in process and on a worker thread); each beside `munkres-js`
 * (Kuhn-Munkres, same cost matrix) and a greedy nearest-unit baseline. p50/p99 in ms. Writes
 * bench/results/allocation.json.
 *
 * The allocator's worth on real calls is measured through the product's own drill, not here: a surge
 * replayed under nearest, optimised and optimised with move-ups through the real queues and dispatch
 * (`npm run drill -- --surge 4 --compare-policy all`, and `npm run bench:fidelity`'s `surge4_*` fields).
 * The separate discrete-event simulator this file once had is retired (issue 20 part 4).
 */
import computeMunkres from 'munkres-js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32, nearestRank } from '@cad/domain';
import {
  allocateIncidents,
  fillPlanNearest,
  MoveUpInput,
  MoveUpWorker,
  recommendMoveUps,
  solveAssignment,
  type AllocationIncident,
  type AllocationUnit,
  type CoverageUnit,
} from '@cad/routing';

const OUT = path.join(__dirname, 'results', 'allocation.json');

// ---------------------------------------------------------------- helpers


const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Runs `fn` `warmup` + `runs` times; returns p50/p99 of the timed runs, ms. */
function timeIt(runs: number, warmup: number, fn: () => unknown): { p50_ms: number; p99_ms: number; runs: number } {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return { p50_ms: r3(nearestRank(t, 0.5)), p99_ms: r3(nearestRank(t, 0.99)), runs };
}

/** Travel-like costs: points in a 12 km square, seconds at 30 km/h with a 1.3 detour factor and noise. */
function syntheticEta(rng: () => number, rows: number, cols: number): Float64Array {
  const pt = () => [rng() * 12000, rng() * 12000];
  const R = Array.from({ length: rows }, pt);
  const C = Array.from({ length: cols }, pt);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = Math.hypot(R[i][0] - C[j][0], R[i][1] - C[j][1]);
      out[i * cols + j] = Math.round(((d * 1.3) / 8.33) * (0.9 + 0.2 * rng()));
    }
  }
  return out;
}

function toRows(m: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(m.subarray(i * cols, (i + 1) * cols)));
}

/** Greedy nearest: each row in order takes its cheapest free column. */
function greedyAssign(m: Float64Array, rows: number, cols: number): number {
  const used = new Uint8Array(cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let best = -1;
    for (let j = 0; j < cols; j++) if (!used[j] && (best < 0 || m[i * cols + j] < m[i * cols + best])) best = j;
    if (best >= 0) {
      used[best] = 1;
      total += m[i * cols + best];
    }
  }
  return total;
}

// ---------------------------------------------------------------- speed

/**
 * SciPy's `linear_sum_assignment` (Debian `python3-scipy`; Crouse's shortest augmenting path, C++) on
 * the same n x n matrix, timed inside Python (the matrix handed over as raw float64, not timed).
 * @returns p50/p99 ms over `runs` after `warmup`, the optimal total and the SciPy version
 * @throws Error when python3 or scipy is missing
 */
function scipyAssign(m: Float64Array, n: number, runs: number, warmup: number) {
  const file = path.join(os.tmpdir(), `cad-bench-assign-${process.pid}.f64`);
  fs.writeFileSync(file, Buffer.from(m.buffer, m.byteOffset, m.byteLength));
  const py = `
import json, sys, time, numpy as np, scipy
from scipy.optimize import linear_sum_assignment
m = np.fromfile(sys.argv[1], dtype=np.float64).reshape(${n}, ${n})
for _ in range(${warmup}): linear_sum_assignment(m)
t = []
for _ in range(${runs}):
    t0 = time.perf_counter(); r, c = linear_sum_assignment(m); t.append((time.perf_counter() - t0) * 1000)
t.sort()
q = lambda p: t[max(0, -(-len(t) * p // 100) - 1)]
print(json.dumps({"p50_ms": round(q(50), 3), "p99_ms": round(q(99), 3), "runs": ${runs}, "total": float(m[r, c].sum()), "scipy": scipy.__version__}))
`;
  try {
    return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' })) as { p50_ms: number; p99_ms: number; runs: number; total: number; scipy: string };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function benchAssign1000(): Record<string, unknown> {
  const n = 1000;
  const m = syntheticEta(mulberry32(1), n, n);
  const ours = timeIt(15, 2, () => solveAssignment(m, n, n));
  // The same solver forced to its dense path (no candidate graph): what the sparse path and its dual proof save.
  const oursDense = timeIt(15, 2, () => solveAssignment(m, n, n, { method: 'dense' }));
  const greedy = timeIt(15, 2, () => greedyAssign(m, n, n));
  const rows = toRows(m, n, n);
  // munkres-js is O(n^3) on nested arrays: minutes for 1000 x 1000, so one run (BENCH_MUNKRES_1000=0 skips it).
  const withMunkres = process.env.BENCH_MUNKRES_1000 !== '0';
  const munk = withMunkres ? timeIt(1, 0, () => computeMunkres(rows.map((r) => [...r]))) : null;
  const ourTotal = solveAssignment(m, n, n).total;
  const munkTotal = withMunkres ? computeMunkres(toRows(m, n, n)).reduce((a, [i, j]) => a + m[i * n + j], 0) : null;
  const scipy = scipyAssign(m, n, 15, 2);
  // For context: uniform random costs (the usual LAP benchmark) are much easier than travel-like ones.
  const rngU = mulberry32(11);
  const uni = Float64Array.from({ length: n * n }, () => Math.floor(rngU() * 1800));
  const oursUniform = timeIt(15, 2, () => solveAssignment(uni, n, n));
  return {
    costs: 'travel-like: seconds between random points in a 12 km square at 30 km/h, detour 1.3, +-10% noise',
    ours,
    ours_dense_path: oursDense,
    sparse_speedup_vs_dense_path: r1(oursDense.p50_ms / ours.p50_ms),
    munkres_js: munk ?? 'skipped (BENCH_MUNKRES_1000=0)',
    scipy_linear_sum_assignment: scipy,
    greedy,
    ours_uniform_random_costs: oursUniform,
    total_cost_s: { ours: ourTotal, munkres_js: munkTotal, scipy: scipy.total, greedy: greedyAssign(m, n, n) },
    speedup_vs_munkres_js: munk ? r1(munk.p50_ms / ours.p50_ms) : null,
    speedup_vs_scipy: r1(scipy.p50_ms / ours.p50_ms),
  };
}

function syntheticDispatch(seed: number) {
  const rng = mulberry32(seed);
  const kinds: [string, string[]][] = [
    ['engine', ['engine']],
    ['medic', ['ambulance', 'als']],
    ['private', ['ambulance']],
    ['truck', ['truck']],
  ];
  const mix = [120, 100, 40, 40];
  const units: AllocationUnit[] = [];
  kinds.forEach(([k, caps], t) => {
    for (let i = 0; i < mix[t]; i++) units.push({ id: `${k}${i}`, capabilities: caps });
  });
  const plans = [['engine', 'ambulance'], ['ambulance'], ['engine'], ['engine', 'engine', 'truck'], ['engine', 'ambulance', 'truck']];
  const incidents: AllocationIncident[] = Array.from({ length: 50 }, (_, i) => ({
    id: `i${i}`,
    priority: 1 + Math.floor(rng() * 3),
    slots: plans[Math.floor(rng() * plans.length)],
  }));
  const eta = syntheticEta(rng, incidents.length, units.length);
  return { units, incidents, eta };
}

function bench50x300(): Record<string, unknown> {
  const { units, incidents, eta } = syntheticDispatch(2);
  const travel = { incidentIds: incidents.map((i) => i.id), unitIds: units.map((u) => u.id), seconds: eta };
  const U = units.length;
  const ours = timeIt(200, 20, () => allocateIncidents(incidents, units, travel));
  const greedyRun = () => {
    const taken = new Set<string>();
    const order = incidents.map((inc, k) => ({ inc, k })).sort((a, b) => a.inc.priority - b.inc.priority || a.k - b.k);
    const sums: Record<number, number> = {};
    for (const { inc, k } of order) {
      const cands = units.filter((u) => !taken.has(u.id)).map((u) => ({ unitId: u.id, capabilities: u.capabilities, etaSeconds: eta[k * U + units.indexOf(u)] }));
      const fill = fillPlanNearest(inc.slots, cands);
      for (const c of fill.chosen) {
        taken.add(c.unitId);
        sums[inc.priority] = (sums[inc.priority] ?? 0) + c.etaSeconds;
      }
    }
    return sums;
  };
  const greedy = timeIt(200, 20, greedyRun);
  // munkres-js on the same problem as one matrix (all slots x all units; forbidden pairs at a big cost).
  const slotRows: number[][] = [];
  incidents.forEach((inc, k) =>
    inc.slots.forEach((cap) => slotRows.push(units.map((u, j) => (u.capabilities.includes(cap) ? eta[k * U + j] * (4 - inc.priority) ** 3 : 1e7)))),
  );
  const munk = timeIt(5, 1, () => computeMunkres(slotRows.map((r) => [...r])));
  const res = allocateIncidents(incidents, units, travel);
  const ourSums: Record<number, number> = {};
  res.incidents.forEach((r) => r.assigned.forEach((a) => (ourSums[r.priority] = (ourSums[r.priority] ?? 0) + a.etaSeconds)));
  return {
    slots: slotRows.length,
    units: U,
    ours,
    munkres_js: munk,
    greedy,
    summed_eta_s_by_priority: { ours: ourSums, greedy: greedyRun() },
    speedup_vs_munkres_js: r1(munk.p50_ms / ours.p50_ms),
  };
}

function syntheticMoveUp(seed: number): MoveUpInput {
  const rng = mulberry32(seed);
  const S = 100;
  const Z = 1000;
  const st = Array.from({ length: S }, (_, i) => [((i % 10) + 0.5 + (rng() - 0.5) * 0.4) * 1200, (Math.floor(i / 10) + 0.5 + (rng() - 0.5) * 0.4) * 1200]);
  const zs = Array.from({ length: Z }, () => [rng() * 12000, rng() * 12000]);
  const m = new Float64Array(S * Z);
  for (let p = 0; p < S; p++) for (let z = 0; z < Z; z++) m[p * Z + z] = (Math.hypot(st[p][0] - zs[z][0], st[p][1] - zs[z][1]) * 1.3) / 8.33;
  const units: CoverageUnit[] = [];
  // One engine per station and a medic at every other station; about 30% are out on calls (left out).
  for (let p = 0; p < S; p++) {
    if (rng() > 0.3) units.push({ id: `E${p}`, capabilities: ['engine'], position: p });
    if (p % 2 === 0 && rng() > 0.3) units.push({ id: `M${p}`, capabilities: ['ambulance', 'als'], position: p });
  }
  const stations = st.map((_, p) => ({ id: `S${p}`, position: p, capacity: 2 }));
  const u2s = new Float64Array(units.length * S);
  units.forEach((u, i) => stations.forEach((s, j) => (u2s[i * S + j] = Math.hypot(st[u.position][0] - st[j][0], st[u.position][1] - st[j][1]) / 8.33)));
  return {
    zones: zs.map((_, z) => ({ id: `z${z}`, weight: 1 + Math.floor(rng() * 10) })),
    positionCount: S,
    positionToZoneSeconds: m,
    units,
    stations,
    maxMoves: 5,
    unitToStationSeconds: u2s,
    maxMoveSeconds: 900,
  };
}

async function benchMoveUp(): Promise<Record<string, unknown>> {
  const input = syntheticMoveUp(3);
  const ours = timeIt(20, 2, () => recommendMoveUps(input));
  const res = recommendMoveUps(input);
  const worker = new MoveUpWorker();
  await worker.solve(input); // start-up and warm-up
  const t: number[] = [];
  // The event loop keeps ticking while the worker solves: count the ticks as proof it is not blocked.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await worker.solve(input);
    t.push(performance.now() - t0);
  }
  clearInterval(timer);
  await worker.close();
  // Baseline: a greedy with no local search = "move the unit with the best single gain", done by maxMoves=1 repeatedly.
  let greedyIn = input;
  let greedyAfter = res.before.coveredWeight;
  const greedy = timeIt(5, 1, () => {
    greedyIn = input;
    for (let k = 0; k < input.maxMoves; k++) {
      const r = recommendMoveUps({ ...greedyIn, maxMoves: 1 });
      if (r.moves.length === 0) break;
      const mv = r.moves[0];
      greedyIn = { ...greedyIn, units: greedyIn.units.map((u) => (u.id === mv.unitId ? { ...u, position: mv.toPosition } : u)) };
      greedyAfter = r.after.coveredWeight;
    }
  });
  return {
    stations: input.stations.length,
    zones: input.zones.length,
    units: input.units.length,
    max_moves: input.maxMoves,
    ours_in_process: ours,
    ours_worker_round_trip: { p50_ms: r3(nearestRank(t, 0.5)), p99_ms: r3(nearestRank(t, 0.99)), runs: t.length, event_loop_ticks_meanwhile: ticks },
    greedy_one_move_at_a_time: greedy,
    covered_share: { before: r3(res.before.share), ours: r3(res.after.share), greedy: r3(greedyAfter / res.totalWeight) },
    moves: res.moves.length,
    evaluations: res.evaluations,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log('allocation benchmark (shared 2-core machine; other agents load the CPU)');
  const loadBefore = os.loadavg().map(r3);
  const assign1000 = benchAssign1000();
  console.log('1000 x 1000 assignment', JSON.stringify(assign1000));
  const a50 = bench50x300();
  console.log('50 incidents x 300 units', JSON.stringify(a50));
  const mu = await benchMoveUp();
  console.log('move-up 100 stations x 1000 zones', JSON.stringify(mu));
  const targets = {
    assign_1000_le_60ms: (assign1000.ours as { p50_ms: number }).p50_ms <= 60,
    assign_1000_le_scipy: (assign1000.ours as { p50_ms: number }).p50_ms <= (assign1000.scipy_linear_sum_assignment as { p50_ms: number }).p50_ms,
    assign_50x300_le_5ms: (a50.ours as { p50_ms: number }).p50_ms <= 5,
    moveup_100x1000_le_250ms: (mu.ours_in_process as { p50_ms: number }).p50_ms <= 250,
  };
  const out = {
    generated_at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, load_average_before: loadBefore, load_average_after: os.loadavg().map(r3) },
    assign_1000_ms: (assign1000.ours as { p50_ms: number }).p50_ms,
    scipy_assign_1000_ms: (assign1000.scipy_linear_sum_assignment as { p50_ms: number }).p50_ms,
    assign_50x300_ms: (a50.ours as { p50_ms: number }).p50_ms,
    moveup_100x1000_ms: (mu.ours_in_process as { p50_ms: number }).p50_ms,
    targets_met: targets,
    limits: {
      assign_1000:
        'each row keeps its 24 cheapest columns; shortest augmenting paths (Crouse/SciPy form, binary heap over reached columns) after JV column reduction solve that candidate graph, a dual check over the full matrix proves the optimum (pairs that fail it join the graph, warm start); on travel-like costs the first check adds ~3,000 pairs and two more rounds settle. The dense path (ours_dense_path) scans ~50 rows x 1000 columns per augmentation. What is left is the O(n^2) candidate selection and dual checks (about 3 passes over 1 M costs) plus the heap searches.',
    },
    speed: { assign_1000: assign1000, assign_50x300: a50, moveup_100x1000: mu },
    allocator_worth: 'measured through the drill: bench/results/fidelity.json surge4_* and surge3_* (npm run bench:fidelity)',
    notes: 'Ran on a shared 2-core machine while other agents loaded the CPU: timings are noisy and pessimistic. munkres-js 1000x1000 is run once (about 90 s per run).',
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
  console.log('targets', JSON.stringify(targets));
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
