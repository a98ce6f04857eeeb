/**
 * Benchmark of the allocator and move-ups (issue 5). Not a test: run with `npm run bench:allocation`.
 *
 * Speed (synthetic, seeded): 1000 x 1000 assignment; 50 incidents x 300 units through
 * `allocateIncidents`; move-up model 100 stations x 1000 demand zones (in process and on a worker
 * thread); each against `munkres-js` (Kuhn-Munkres, same cost matrix) and a greedy nearest-unit
 * baseline measured in the same run. p50/p99 in ms.
 *
 * Quality (real data): the 8 San Francisco days of the north strip (SFFD calls for service), on the
 * real OSM road graph, replayed in a discrete-event simulation three times on the same clock with
 * (a) greedy nearest unit (`fillPlanNearest`, calls served in arrival order), (b) the allocator
 * (`allocateIncidents` over all open incidents at every event), (c) the allocator plus move-ups
 * (`recommendMoveUps`, at most 2 moves per event). Writes bench/results/allocation.json.
 */
import computeMunkres from 'munkres-js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alarmSlots, derivePlans, mulberry32, nearestRank, planFor, type Priority } from '@cad/domain';
import {
  allocateIncidents,
  computeCoverage,
  fillPlanNearest,
  MoveUpInput,
  MoveUpWorker,
  positionToZoneSeconds,
  recommendMoveUps,
  RoadNetwork,
  solveAssignment,
  type AllocationIncident,
  type AllocationUnit,
  type CoverageUnit,
} from '@cad/routing';
import { callsOfDay, readSfCalls, type ReplayCall } from '../db/import/sf-calls';
import { deriveUnitsAndStations } from '../db/import/stations';

const DATA = path.resolve(__dirname, '..', '..', 'shared', 'data', 'san-francisco');
const ZONE = 'America/Los_Angeles';
const OUT = path.join(__dirname, 'results', 'allocation.json');
/** Time compression of the surge replay. */
const SURGE = 4;

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

// ---------------------------------------------------------------- real-week simulation

type Policy = 'greedy' | 'allocator' | 'allocator_moveups';

interface SimUnit {
  id: string;
  caps: string[];
  post: number; // index into positions: where it returns to (a move-up station while moved up)
  home: number; // its own post; a moved-up unit returns home after its next call
  node: number; // where it is taken to be for ETAs
  status: 'available' | 'enroute' | 'onscene' | 'returning' | 'moving';
  version: number;
}

interface SimIncident {
  id: string;
  call: ReplayCall;
  node: number;
  priority: Priority;
  slots: string[];
  pending: string[];
  arrivals: number[];
  /** Travel seconds of the unit that arrived first. */
  firstTravel: number;
  firstEngineTravel: number;
  /** Received and not yet fully served. */
  open: boolean;
}

interface SimEvent {
  t: number;
  seq: number;
  kind: 'call' | 'arrive' | 'clear' | 'home';
  inc?: number;
  unit?: number;
  version?: number;
  travel?: number;
}

class EventQueue {
  private a: SimEvent[] = [];
  private seq = 0;
  push(e: Omit<SimEvent, 'seq'>): void {
    const ev = { ...e, seq: this.seq++ };
    let lo = 0;
    let hi = this.a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.a[mid];
      if (m.t < ev.t || (m.t === ev.t && m.seq < ev.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.a.splice(lo, 0, ev);
  }
  shift(): SimEvent | undefined {
    return this.a.shift();
  }
  get size(): number {
    return this.a.length;
  }
}

interface World {
  net: RoadNetwork;
  allNodes: number[];
  calls: ReplayCall[];
  callNodes: number[];
  plans: ReturnType<typeof derivePlans>;
  units: { id: string; caps: string[]; post: number }[];
  positions: number[]; // position index -> node
  stationPositions: number[]; // indices into positions that are fire stations
  zones: { id: string; weight: number }[];
  zoneMatrix: Float64Array;
  treeCache: Map<number, Float64Array>;
}

function treeTo(w: World, node: number): Float64Array {
  let t = w.treeCache.get(node);
  if (!t) {
    t = w.net.travelTimesTo(node, w.allNodes);
    if (w.treeCache.size > 600) w.treeCache.delete(w.treeCache.keys().next().value!);
    w.treeCache.set(node, t);
  }
  return t;
}

function loadWorld(): World & { loadMs: number; dropped: Record<string, number> } {
  const t0 = performance.now();
  const net = RoadNetwork.fromOsmFile(path.join(DATA, 'sf_north_roads.osm'));
  const { rows } = readSfCalls(path.join(DATA, 'sf_fire_calls_2016-12-31_to_2017-01-07_north_bbox.csv'), ZONE);
  const dates = [...new Set(rows.map((r) => r.localDate))].sort();
  const calls = dates.flatMap((d) => callsOfDay(rows, d));
  const plans = derivePlans(rows.map((r) => ({ incidentKey: r.incidentNumber, callType: r.callType, unitType: r.unitType })));
  const { units, stations } = deriveUnitsAndStations(rows, new Map());
  const positions: number[] = [];
  const posIndex = new Map<number, number>();
  const posOf = (node: number) => {
    let p = posIndex.get(node);
    if (p === undefined) {
      p = positions.length;
      positions.push(node);
      posIndex.set(node, p);
    }
    return p;
  };
  const stationPositions = [...new Set([...stations.values()].map((s) => posOf(net.snap(s.lat, s.lon).node)))];
  const simUnits = units.map((u) => ({ id: u.id, caps: u.capabilities, post: posOf(net.snap(u.base.lat, u.base.lon).node) }));
  const callNodes = calls.map((c) => net.snap(c.lat, c.lon).node);
  // Demand zones: one per street block (SFFD `Address`, e.g. "100 Block of MARKET ST"), weight = calls of the week there.
  const byAddr = new Map<string, { n: number; node: number }>();
  calls.forEach((c, i) => {
    const z = byAddr.get(c.address) ?? { n: 0, node: callNodes[i] };
    z.n++;
    byAddr.set(c.address, z);
  });
  const zoneList = [...byAddr.entries()];
  console.log(`  loaded graph and ${calls.length} calls in ${Math.round(performance.now() - t0)} ms; ${positions.length} positions, ${byAddr.size} zones`);
  const zoneMatrix = positionToZoneSeconds(net, positions, zoneList.map(([, z]) => z.node), 480);
  const dropped: Record<string, number> = {};
  return {
    net,
    allNodes: Array.from({ length: net.nodeCount }, (_, i) => i),
    calls,
    callNodes,
    plans,
    units: simUnits,
    positions,
    stationPositions,
    zones: zoneList.map(([id, z]) => ({ id, weight: z.n })),
    zoneMatrix,
    treeCache: new Map(),
    loadMs: performance.now() - t0,
    dropped,
  };
}

interface SimResult {
  policy: Policy;
  incidents: number;
  p90_full_plan_s: number;
  p50_full_plan_s: number;
  p90_first_unit_travel_s: number;
  p90_first_unit_response_s: number;
  p90_first_engine_travel_s: number;
  p1_engine_within_240s_share: number;
  mean_coverage_share: number;
  dispatch_rounds: number;
  move_ups: number;
  solver_ms_total: number;
  wall_ms: number;
}

function simulate(w: World, policy: Policy, compress = 1): SimResult {
  const wall0 = performance.now();
  const fleet: Record<string, number> = {};
  for (const u of w.units) for (const c of u.caps) fleet[c] = (fleet[c] ?? 0) + 1;
  const units: SimUnit[] = w.units.map((u) => ({ ...u, home: u.post, node: w.positions[u.post], status: 'available', version: 0 }));
  const t0 = w.calls[0].received.getTime();
  const incs: SimIncident[] = w.calls.map((c, i) => {
    // First-alarm slots; capabilities the fleet lacks are dropped, counts capped at the fleet size (same for every policy).
    const want = alarmSlots(planFor(w.plans, c.type), 1);
    const seen: Record<string, number> = {};
    const slots = want.filter((cap) => (seen[cap] = (seen[cap] ?? 0) + 1) <= (fleet[cap] ?? 0));
    return { id: c.callNumber, call: c, node: w.callNodes[i], priority: c.priority, slots, pending: [...slots], arrivals: [], firstTravel: NaN, firstEngineTravel: Infinity, open: false };
  });
  const q = new EventQueue();
  const receivedAt = (inc: SimIncident) => (inc.call.received.getTime() - t0) / 1000 / compress;
  incs.forEach((inc, i) => q.push({ t: receivedAt(inc), kind: 'call', inc: i }));
  const idxOfUnit = new Map(units.map((u, i) => [u.id, i]));
  const idxOfInc = new Map(incs.map((x, i) => [x.id, i]));
  const dispatchable = () => units.map((u, i) => ({ u, i })).filter(({ u }) => u.status === 'available' || u.status === 'returning' || u.status === 'moving');
  let rounds = 0;
  let moveUps = 0;
  let solverMs = 0;
  const coverageSamples: number[] = [];

  const dispatch = (t: number, ui: number, ii: number, cap: string) => {
    const u = units[ui];
    const inc = incs[ii];
    const travel = treeTo(w, inc.node)[u.node];
    const turnout = Math.min(Math.max(inc.call.turnoutSeconds, 0), 300);
    u.status = 'enroute';
    u.version++;
    const at = t + turnout + travel;
    q.push({ t: at, kind: 'arrive', unit: ui, inc: ii, version: u.version, travel });
    if (cap === 'engine') inc.firstEngineTravel = Math.min(inc.firstEngineTravel, travel);
  };

  const round = (t: number) => {
    const open = incs.map((x, i) => ({ x, i })).filter(({ x }) => x.open && x.pending.length > 0);
    if (open.length === 0) return;
    rounds++;
    const avail = dispatchable();
    if (avail.length === 0) return;
    const s0 = performance.now();
    if (policy === 'greedy') {
      const taken = new Set<number>();
      for (const { x, i } of open) {
        const tree = treeTo(w, x.node);
        const cands = avail.filter(({ i: ui }) => !taken.has(ui)).map(({ u }) => ({ unitId: u.id, capabilities: u.caps, etaSeconds: tree[u.node] }));
        const fill = fillPlanNearest(x.pending, cands);
        for (const c of fill.chosen) {
          const ui = idxOfUnit.get(c.unitId)!;
          taken.add(ui);
          dispatch(t, ui, i, c.capability);
        }
        x.pending = fill.unfilled;
      }
    } else {
      const res = allocateIncidents(
        open.map(({ x }) => ({ id: x.id, priority: x.priority, slots: x.pending })),
        avail.map(({ u }) => ({ id: u.id, capabilities: u.caps })),
        (incId, unitId) => treeTo(w, incs[idxOfInc.get(incId)!].node)[units[idxOfUnit.get(unitId)!].node],
      );
      for (const r of res.incidents) {
        const ii = idxOfInc.get(r.incidentId)!;
        for (const a of r.assigned) dispatch(t, idxOfUnit.get(a.unitId)!, ii, a.capability);
        incs[ii].pending = r.unfilled.map((f) => f.capability);
      }
    }
    solverMs += performance.now() - s0;
  };

  const coverageUnits = () =>
    units
      .map((u, i) => ({ u, i }))
      .filter(({ u }) => u.status === 'available' || u.status === 'returning' || u.status === 'moving')
      .map(({ u }) => ({ id: u.id, capabilities: u.caps, position: u.post, movable: u.status === 'available' }));

  const coverageNow = () =>
    computeCoverage({ zones: w.zones, positionCount: w.positions.length, positionToZoneSeconds: w.zoneMatrix, units: coverageUnits() }).share;
  const homeShare = coverageNow();
  // Move-ups are looked for only when coverage has dropped below what the fleet gives at home.
  const moveUpRound = (t: number) => {
    if (coverageNow() >= homeShare - 1e-9) return;
    const cu = coverageUnits();
    const S = w.stationPositions.length;
    const u2s = new Float64Array(cu.length * S).fill(Infinity);
    cu.forEach((c, k) => {
      if (!c.movable) return;
      const u = units[idxOfUnit.get(c.id)!];
      w.stationPositions.forEach((p, j) => (u2s[k * S + j] = treeTo(w, w.positions[p])[u.node]));
    });
    const s0 = performance.now();
    const res = recommendMoveUps({
      zones: w.zones,
      positionCount: w.positions.length,
      positionToZoneSeconds: w.zoneMatrix,
      units: cu,
      stations: w.stationPositions.map((p) => ({ id: String(p), position: p, capacity: 3 })),
      maxMoves: 2,
      unitToStationSeconds: u2s,
      maxMoveSeconds: 600,
    });
    solverMs += performance.now() - s0;
    for (const m of res.moves) {
      const ui = idxOfUnit.get(m.unitId)!;
      const u = units[ui];
      u.post = m.toPosition;
      u.status = 'moving';
      u.version++;
      moveUps++;
      q.push({ t: t + m.moveSeconds, kind: 'home', unit: ui, version: u.version });
    }
  };

  const sampleCoverage = () => {
    coverageSamples.push(coverageNow());
  };

  let nEvents = 0;
  while (q.size) {
    const e = q.shift()!;
    if (process.env.BENCH_TRACE && ++nEvents % 1000 === 0) console.log(`  ${policy}: ${nEvents} events, t=${Math.round(e.t)} s, ${Math.round(performance.now() - wall0)} ms, trees ${w.treeCache.size}`);
    const t = e.t;
    if (e.kind === 'call') {
      incs[e.inc!].open = true;
      round(t);
      if (policy === 'allocator_moveups') moveUpRound(t);
      sampleCoverage();
    } else if (e.kind === 'arrive') {
      const u = units[e.unit!];
      if (u.version !== e.version) continue;
      u.status = 'onscene';
      u.node = incs[e.inc!].node;
      const inc = incs[e.inc!];
      if (inc.arrivals.length === 0) inc.firstTravel = e.travel!;
      inc.arrivals.push(t - receivedAt(inc));
      if (inc.pending.length === 0 && inc.arrivals.length === inc.slots.length) inc.open = false;
      const onScene = Math.min(Math.max(inc.call.onSceneSeconds, 60), 7200);
      q.push({ t: t + onScene, kind: 'clear', unit: e.unit, inc: e.inc, version: u.version });
    } else if (e.kind === 'clear') {
      const u = units[e.unit!];
      if (u.version !== e.version) continue;
      u.status = 'returning';
      u.post = u.home;
      u.version++;
      q.push({ t: t + treeTo(w, w.positions[u.post])[u.node], kind: 'home', unit: e.unit, version: u.version });
      round(t);
      if (policy === 'allocator_moveups') moveUpRound(t);
    } else if (e.kind === 'home') {
      const u = units[e.unit!];
      if (u.version !== e.version) continue;
      u.status = 'available';
      u.node = w.positions[u.post];
      if (policy === 'allocator_moveups') moveUpRound(t);
    }
  }

  const done = incs.filter((x) => x.slots.length > 0 && x.arrivals.length === x.slots.length);
  const full = done.map((x) => Math.max(...x.arrivals));
  const first = done.map((x) => Math.min(...x.arrivals));
  const firstTravel = done.map((x) => x.firstTravel);
  const firstEngineTravel = incs.filter((x) => Number.isFinite(x.firstEngineTravel)).map((x) => x.firstEngineTravel);
  const p1Engine = incs.filter((x) => x.priority === 1 && x.slots.includes('engine'));
  return {
    policy,
    incidents: done.length,
    p90_full_plan_s: r1(nearestRank(full, 0.9)),
    p50_full_plan_s: r1(nearestRank(full, 0.5)),
    p90_first_unit_travel_s: r1(nearestRank(firstTravel, 0.9)),
    p90_first_unit_response_s: r1(nearestRank(first, 0.9)),
    p90_first_engine_travel_s: r1(nearestRank(firstEngineTravel, 0.9)),
    p1_engine_within_240s_share: r3(p1Engine.filter((x) => x.firstEngineTravel <= 240).length / Math.max(1, p1Engine.length)),
    mean_coverage_share: r3(coverageSamples.reduce((a, b) => a + b, 0) / Math.max(1, coverageSamples.length)),
    dispatch_rounds: rounds,
    move_ups: moveUps,
    solver_ms_total: Math.round(solverMs),
    wall_ms: Math.round(performance.now() - wall0),
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log('allocation benchmark (shared 2-core machine; other agents load the CPU)');
  // BENCH_SIM_ONLY=1 skips the speed part (for iterating on the simulation; never for the committed JSON).
  if (process.env.BENCH_SIM_ONLY) {
    const world = loadWorld();
    for (const c of [1, SURGE]) {
      for (const p of ['greedy', 'allocator', 'allocator_moveups'] as Policy[]) console.log(c, p, JSON.stringify(simulate(world, p, c)));
    }
    return;
  }
  const loadBefore = os.loadavg().map(r3);
  const assign1000 = benchAssign1000();
  console.log('1000 x 1000 assignment', JSON.stringify(assign1000));
  const a50 = bench50x300();
  console.log('50 incidents x 300 units', JSON.stringify(a50));
  const mu = await benchMoveUp();
  console.log('move-up 100 stations x 1000 zones', JSON.stringify(mu));

  const world = loadWorld();
  console.log(
    `real week: ${world.calls.length} calls, ${world.units.length} units, ${world.stationPositions.length} stations, ${world.zones.length} demand zones, loaded in ${Math.round(world.loadMs)} ms`,
  );
  const sims: Record<Policy, SimResult> = {} as Record<Policy, SimResult>;
  const surge: Record<Policy, SimResult> = {} as Record<Policy, SimResult>;
  for (const p of ['greedy', 'allocator', 'allocator_moveups'] as Policy[]) {
    sims[p] = simulate(world, p);
    console.log('real week', p, JSON.stringify(sims[p]));
  }
  // The real week barely loads the fleet (no call ever waits for a unit); the same calls replayed four
  // times faster (8 days in 2) show what the allocator does when units are short.
  for (const p of ['greedy', 'allocator', 'allocator_moveups'] as Policy[]) {
    surge[p] = simulate(world, p, SURGE);
    console.log(`surge x${SURGE}`, p, JSON.stringify(surge[p]));
  }
  const g = sims.greedy.p90_full_plan_s;
  const improvement = (x: number) => r3((g - x) / g);
  const targets = {
    assign_1000_le_60ms: (assign1000.ours as { p50_ms: number }).p50_ms <= 60,
    assign_1000_le_scipy: (assign1000.ours as { p50_ms: number }).p50_ms <= (assign1000.scipy_linear_sum_assignment as { p50_ms: number }).p50_ms,
    assign_50x300_le_5ms: (a50.ours as { p50_ms: number }).p50_ms <= 5,
    moveup_100x1000_le_250ms: (mu.ours_in_process as { p50_ms: number }).p50_ms <= 250,
    allocator_moveup_full_plan_p90_10pct_better_than_greedy: improvement(sims.allocator_moveups.p90_full_plan_s) >= 0.1,
  };
  const out = {
    generated_at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    machine: { cpus: os.cpus().length, node: process.version, load_average_before: loadBefore, load_average_after: os.loadavg().map(r3) },
    assign_1000_ms: (assign1000.ours as { p50_ms: number }).p50_ms,
    scipy_assign_1000_ms: (assign1000.scipy_linear_sum_assignment as { p50_ms: number }).p50_ms,
    assign_50x300_ms: (a50.ours as { p50_ms: number }).p50_ms,
    moveup_100x1000_ms: (mu.ours_in_process as { p50_ms: number }).p50_ms,
    greedy_p90_full_plan_s: sims.greedy.p90_full_plan_s,
    allocator_p90_full_plan_s: sims.allocator.p90_full_plan_s,
    allocator_moveup_p90_full_plan_s: sims.allocator_moveups.p90_full_plan_s,
    greedy_p90_first_unit_s: sims.greedy.p90_first_unit_travel_s,
    allocator_p90_first_unit_s: sims.allocator.p90_first_unit_travel_s,
    allocator_moveup_p90_first_unit_s: sims.allocator_moveups.p90_first_unit_travel_s,
    first_unit_metric: 'p90 travel seconds of the first unit on scene (turnout and waiting excluded); p90_first_unit_response_s in runs counts from call receipt',
    full_plan_p90_improvement_vs_greedy: { allocator: improvement(sims.allocator.p90_full_plan_s), allocator_moveups: improvement(sims.allocator_moveups.p90_full_plan_s) },
    targets_met: targets,
    limits: {
      assign_1000:
        'each row keeps its 24 cheapest columns; shortest augmenting paths (Crouse/SciPy form, binary heap over reached columns) after JV column reduction solve that candidate graph, a dual check over the full matrix proves the optimum (pairs that fail it join the graph, warm start); on travel-like costs the first check adds ~3,000 pairs and two more rounds settle. The dense path (ours_dense_path) scans ~50 rows x 1000 columns per augmentation. What is left is the O(n^2) candidate selection and dual checks (about 3 passes over 1 M costs) plus the heap searches.',
      real_week:
        `the north strip week is lightly loaded for the derived fleet (${world.units.length} units, ${world.calls.length} calls in 8 days): ` +
        `${sims.greedy.dispatch_rounds === world.calls.length ? 'no call ever waited for a unit (dispatch rounds = calls), so' : 'calls rarely waited, so'} ` +
        `a global assignment has little to re-order; move-ups change the full-plan p90 by ${(improvement(sims.allocator_moveups.p90_full_plan_s) * 100).toFixed(1)}%. ` +
        `The surge replay (same calls, ${SURGE}x faster) is where the allocator and move-ups pay off.`,
    },
    speed: { assign_1000: assign1000, assign_50x300: a50, moveup_100x1000: mu },
    simulation: {
      data: 'SFFD calls for service 2016-12-31..2017-01-07, north strip (sf_fire_calls_..._north_bbox.csv); OSM road graph sf_north_roads.osm',
      calls: world.calls.length,
      units: world.units.length,
      stations: world.stationPositions.length,
      demand_zones: world.zones.length,
      runs: sims,
      surge: {
        what: `the same calls with their receive times divided by ${SURGE} (8 days in 2); same fleet, on-scene and turnout times`,
        runs: surge,
        full_plan_p90_improvement_vs_greedy: {
          allocator: r3((surge.greedy.p90_full_plan_s - surge.allocator.p90_full_plan_s) / surge.greedy.p90_full_plan_s),
          allocator_moveups: r3((surge.greedy.p90_full_plan_s - surge.allocator_moveups.p90_full_plan_s) / surge.greedy.p90_full_plan_s),
        },
      },
      model:
        'discrete-event replay on one clock; incidents need their derived first-alarm slots (derivePlans over the same week, median per capability); dispatch at call arrival and whenever a unit clears; turnout = the call\'s historical median (capped 300 s); on scene = its historical median (60..7200 s); a clearing unit is dispatchable from the scene until back at its post; a moved-up unit from its origin until it arrives; full-plan time = received until the last first-alarm unit is on scene (turnout + travel + any wait for a free unit); first unit = received until the first unit on scene; deterministic (no random draws)',
    },
    notes:
      'Ran on a shared 2-core machine while other agents loaded the CPU: timings are noisy and pessimistic. munkres-js 1000x1000 is run once (about 90 s per run). Demand zones are street blocks (SFFD Address) weighted by the same week\'s call counts (in-sample), and unit posts are estimated from the data (estimateBase), not official station addresses.',
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
