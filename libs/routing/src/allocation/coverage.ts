/**
 * Coverage of demand zones by available units, and move-up recommendations (maximal covering
 * location problem with a move budget).
 *
 * A zone is covered when an available engine can reach it within 240 s of travel AND an available ALS
 * unit within 480 s (NFPA 1710, 2020 ed., §4.1.2.1: first engine company 240 s, ALS 480 s).
 * Positions are abstract indices (station nodes, units' current nodes); the caller gives the travel
 * time from every position to every zone. All inputs are plain data (typed arrays), so the same input
 * can be posted to a worker thread.
 */

/** A demand zone: a street (or point) with its historical incident count as weight. */
export interface DemandZone {
  id: string;
  weight: number;
}

/** An available unit at a position. */
export interface CoverageUnit {
  id: string;
  capabilities: readonly string[];
  /** Index of its current position (row of `positionToZoneSeconds`). */
  position: number;
  /** False for units that must not be moved (default true). */
  movable?: boolean;
}

/** A station a unit may be moved up to. */
export interface MoveUpStation {
  id: string;
  /** Index of its position (row of `positionToZoneSeconds`). */
  position: number;
  /** Most units it can hold, counting units already there (default unlimited). */
  capacity?: number;
}

/** Coverage rule; defaults are NFPA 1710. */
export interface CoverageTargets {
  engineSeconds?: number;
  alsSeconds?: number;
  engineCapability?: string;
  alsCapability?: string;
}

export interface CoverageInput {
  zones: readonly DemandZone[];
  positionCount: number;
  /** Row-major `positionCount x zones.length` travel seconds from position to zone; Infinity = unreachable. */
  positionToZoneSeconds: Float64Array;
  units: readonly CoverageUnit[];
  targets?: CoverageTargets;
}

export interface ZoneCoverage {
  id: string;
  weight: number;
  covered: boolean;
  /** Best engine / ALS travel seconds to the zone (Infinity when none). */
  engineSeconds: number;
  alsSeconds: number;
}

export interface CoverageResult {
  zones: ZoneCoverage[];
  coveredWeight: number;
  totalWeight: number;
  /** coveredWeight / totalWeight (0 when there is no demand). */
  share: number;
}

/**
 * Coverage of every zone by the given (available) units.
 * @throws RangeError when the matrix size does not match or a unit position is out of range
 */
export function computeCoverage(input: CoverageInput): CoverageResult {
  const t = resolveTargets(input.targets);
  check(input);
  const Z = input.zones.length;
  const eng = new Float64Array(Z).fill(Infinity);
  const als = new Float64Array(Z).fill(Infinity);
  for (const u of input.units) {
    const isE = u.capabilities.includes(t.engineCapability);
    const isA = u.capabilities.includes(t.alsCapability);
    if (!isE && !isA) continue;
    const base = u.position * Z;
    for (let z = 0; z < Z; z++) {
      const s = input.positionToZoneSeconds[base + z];
      if (isE && s < eng[z]) eng[z] = s;
      if (isA && s < als[z]) als[z] = s;
    }
  }
  let coveredWeight = 0;
  let totalWeight = 0;
  const zones = input.zones.map((zone, z) => {
    const covered = eng[z] <= t.engineSeconds && als[z] <= t.alsSeconds;
    totalWeight += zone.weight;
    if (covered) coveredWeight += zone.weight;
    return { id: zone.id, weight: zone.weight, covered, engineSeconds: eng[z], alsSeconds: als[z] };
  });
  return { zones, coveredWeight, totalWeight, share: totalWeight > 0 ? coveredWeight / totalWeight : 0 };
}

export interface MoveUpInput extends CoverageInput {
  stations: readonly MoveUpStation[];
  /** Most units to relocate. */
  maxMoves: number;
  /** Row-major `units.length x stations.length` travel seconds of each unit to each station (optional). */
  unitToStationSeconds?: Float64Array;
  /** A move longer than this is not considered (default Infinity; needs `unitToStationSeconds`). */
  maxMoveSeconds?: number;
}

export interface MoveUp {
  unitId: string;
  fromPosition: number;
  toStationId: string;
  toPosition: number;
  /** Travel seconds of the move (NaN when `unitToStationSeconds` was not given). */
  moveSeconds: number;
}

export interface MoveUpResult {
  moves: MoveUp[];
  before: { coveredWeight: number; share: number };
  after: { coveredWeight: number; share: number };
  totalWeight: number;
  /** Candidate moves evaluated (work done). */
  evaluations: number;
  method: string;
}

interface Model {
  Z: number;
  w: Float64Array;
  engZones: Int32Array[]; // per position: zones within engine target
  alsZones: Int32Array[]; // per position: zones within ALS target
  isE: Uint8Array;
  isA: Uint8Array;
  pos: Int32Array; // current position per unit
  engCnt: Int32Array;
  alsCnt: Int32Array;
  covered: number; // weight with both
  half: number; // weight-sum of (engine covered) + (ALS covered): tie-breaker that lets one move prepare another
}

/**
 * Recommends up to `maxMoves` relocations of available units to stations that maximise the demand
 * weight covered (maximal covering location problem, Church & ReVelle 1974, with the NFPA 1710
 * double requirement engine + ALS and a move budget). Method: greedy best move (largest gain in
 * covered weight, ties by partially covered weight then shorter move), then local search over single
 * re-targets and swaps of a moved unit until no improving change remains; moves that end with no gain
 * are dropped. Greedy for one move is exact; for more moves it is a heuristic (the bench compares it
 * with exhaustive search on small cases). Runs synchronously; see `solveMoveUpsInWorker` to keep it
 * off the event loop.
 * @throws RangeError on inconsistent sizes or a negative `maxMoves`
 */
export function recommendMoveUps(input: MoveUpInput): MoveUpResult {
  check(input);
  if (!Number.isInteger(input.maxMoves) || input.maxMoves < 0) throw new RangeError(`maxMoves must be an integer >= 0, got ${input.maxMoves}`);
  const S = input.stations.length;
  const U = input.units.length;
  if (input.unitToStationSeconds && input.unitToStationSeconds.length !== U * S) {
    throw new RangeError(`unitToStationSeconds must hold units x stations = ${U} x ${S} entries`);
  }
  for (const s of input.stations) {
    if (!(s.position >= 0 && s.position < input.positionCount)) throw new RangeError(`station ${s.id}: position out of range`);
  }
  const m = buildModel(input);
  const totalWeight = input.zones.reduce((a, z) => a + z.weight, 0);
  const before = { coveredWeight: m.covered, share: totalWeight > 0 ? m.covered / totalWeight : 0 };
  const maxMove = input.maxMoveSeconds ?? Infinity;
  const moveSec = (u: number, s: number) => (input.unitToStationSeconds ? input.unitToStationSeconds[u * S + s] : NaN);
  const origin = Int32Array.from(m.pos);
  const movable = input.units.map((u, i) => u.movable !== false && (m.isE[i] === 1 || m.isA[i] === 1));
  const occupancy = new Map<number, number>();
  for (const p of m.pos) occupancy.set(p, (occupancy.get(p) ?? 0) + 1);
  const fits = (s: number) => (occupancy.get(input.stations[s].position) ?? 0) < (input.stations[s].capacity ?? Infinity);
  const canMove = (u: number, s: number) => {
    if (!movable[u] || input.stations[s].position === m.pos[u]) return false;
    const t = moveSec(u, s);
    return !(t > maxMove) && fits(s);
  };
  let evaluations = 0;
  const moved = new Map<number, number>(); // unit -> station index

  const relocate = (u: number, to: number) => {
    occupancy.set(m.pos[u], (occupancy.get(m.pos[u]) ?? 0) - 1);
    place(m, u, -1);
    m.pos[u] = to;
    place(m, u, +1);
    occupancy.set(to, (occupancy.get(to) ?? 0) + 1);
  };
  const better = (dc: number, dh: number, t: number, bc: number, bh: number, bt: number) =>
    dc > bc + 1e-9 || (Math.abs(dc - bc) <= 1e-9 && (dh > bh + 1e-9 || (Math.abs(dh - bh) <= 1e-9 && t < bt)));
  const evalMove = (u: number, to: number): [number, number] => {
    evaluations++;
    const c0 = m.covered;
    const h0 = m.half;
    const from = m.pos[u];
    place(m, u, -1);
    m.pos[u] = to;
    place(m, u, +1);
    const r: [number, number] = [m.covered - c0, m.half - h0];
    place(m, u, -1);
    m.pos[u] = from;
    place(m, u, +1);
    return r;
  };

  /** Best single move of a unit not yet moved (largest covered gain, then partial gain, then shorter move). */
  const bestMove = () => {
    let best: { u: number; s: number; dc: number; dh: number; t: number } | null = null;
    for (let u = 0; u < U; u++) {
      if (moved.has(u)) continue;
      for (let s = 0; s < S; s++) {
        if (!canMove(u, s)) continue;
        const [dc, dh] = evalMove(u, input.stations[s].position);
        const t = moveSec(u, s) || 0;
        if (!best || better(dc, dh, t, best.dc, best.dh, best.t)) best = { u, s, dc, dh, t };
      }
    }
    return best;
  };

  // Greedy.
  for (let step = 0; step < input.maxMoves; step++) {
    const best = bestMove();
    if (!best || !(best.dc > 1e-9 || best.dh > 1e-9)) break;
    relocate(best.u, input.stations[best.s].position);
    moved.set(best.u, best.s);
  }

  // Local search: take one move back and put the best single move (any unit, any station) in its place.
  let improved = true;
  let rounds = 0;
  while (improved && rounds++ < 20) {
    improved = false;
    for (const [u, s0] of [...moved]) {
      relocate(u, origin[u]);
      moved.delete(u);
      const best = bestMove();
      const [dc0, dh0] = evalMove(u, input.stations[s0].position);
      const pick = best && better(best.dc, best.dh, best.t, dc0, dh0, moveSec(u, s0) || 0) ? best : { u, s: s0 };
      if (pick.u !== u || pick.s !== s0) improved = true;
      relocate(pick.u, input.stations[pick.s].position);
      moved.set(pick.u, pick.s);
    }
  }

  // Drop moves that no longer add covered weight.
  for (const [u] of [...moved]) {
    const c = m.covered;
    const to = m.pos[u];
    relocate(u, origin[u]);
    if (m.covered + 1e-9 >= c) moved.delete(u);
    else relocate(u, to);
  }

  const moves: MoveUp[] = [...moved]
    .map(([u, s]) => ({
      unitId: input.units[u].id,
      fromPosition: origin[u],
      toStationId: input.stations[s].id,
      toPosition: input.stations[s].position,
      moveSeconds: moveSec(u, s),
    }))
    .sort((a, b) => a.unitId.localeCompare(b.unitId));
  return {
    moves,
    before,
    after: { coveredWeight: m.covered, share: totalWeight > 0 ? m.covered / totalWeight : 0 },
    totalWeight,
    evaluations,
    method: 'greedy best move, then re-target/swap local search (maximal covering location, engine 240 s + ALS 480 s)',
  };
}

function resolveTargets(t: CoverageTargets | undefined): Required<CoverageTargets> {
  return {
    engineSeconds: t?.engineSeconds ?? 240,
    alsSeconds: t?.alsSeconds ?? 480,
    engineCapability: t?.engineCapability ?? 'engine',
    alsCapability: t?.alsCapability ?? 'als',
  };
}

function check(input: CoverageInput): void {
  if (input.positionToZoneSeconds.length !== input.positionCount * input.zones.length) {
    throw new RangeError(`positionToZoneSeconds must hold positionCount x zones = ${input.positionCount} x ${input.zones.length} entries`);
  }
  for (const u of input.units) {
    if (!(Number.isInteger(u.position) && u.position >= 0 && u.position < input.positionCount)) {
      throw new RangeError(`unit ${u.id}: position ${u.position} out of range`);
    }
  }
}

function buildModel(input: MoveUpInput): Model {
  const t = resolveTargets(input.targets);
  const Z = input.zones.length;
  const P = input.positionCount;
  const engZones: Int32Array[] = [];
  const alsZones: Int32Array[] = [];
  const needed = new Uint8Array(P);
  for (const u of input.units) needed[u.position] = 1;
  for (const s of input.stations) needed[s.position] = 1;
  const tmpE: number[] = [];
  const tmpA: number[] = [];
  for (let p = 0; p < P; p++) {
    tmpE.length = 0;
    tmpA.length = 0;
    if (needed[p]) {
      const base = p * Z;
      for (let z = 0; z < Z; z++) {
        const s = input.positionToZoneSeconds[base + z];
        if (s <= t.engineSeconds) tmpE.push(z);
        if (s <= t.alsSeconds) tmpA.push(z);
      }
    }
    engZones.push(Int32Array.from(tmpE));
    alsZones.push(Int32Array.from(tmpA));
  }
  const m: Model = {
    Z,
    w: Float64Array.from(input.zones, (z) => z.weight),
    engZones,
    alsZones,
    isE: Uint8Array.from(input.units, (u) => (u.capabilities.includes(t.engineCapability) ? 1 : 0)),
    isA: Uint8Array.from(input.units, (u) => (u.capabilities.includes(t.alsCapability) ? 1 : 0)),
    pos: Int32Array.from(input.units, (u) => u.position),
    engCnt: new Int32Array(Z),
    alsCnt: new Int32Array(Z),
    covered: 0,
    half: 0,
  };
  for (let u = 0; u < input.units.length; u++) place(m, u, +1);
  return m;
}

/** Adds (+1) or removes (-1) unit u's coverage at its current position, keeping the totals. */
function place(m: Model, u: number, sign: 1 | -1): void {
  const p = m.pos[u];
  if (m.isE[u]) count(m, m.engZones[p], m.engCnt, m.alsCnt, sign);
  if (m.isA[u]) count(m, m.alsZones[p], m.alsCnt, m.engCnt, sign);
}

/** Changes one requirement's cover counts over `zones`; a zone is covered when `cnt` and `other` are both > 0. */
function count(m: Model, zones: Int32Array, cnt: Int32Array, other: Int32Array, sign: 1 | -1): void {
  for (const z of zones) {
    const before = cnt[z];
    cnt[z] = before + sign;
    if ((before === 0) !== (cnt[z] === 0)) {
      const wz = m.w[z] * sign;
      m.half += wz;
      if (other[z] > 0) m.covered += wz;
    }
  }
}
