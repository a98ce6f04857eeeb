import { solveAssignment } from './lap';

/**
 * The units an incident may draw on at one command tier: a set of unit ids or a predicate.
 * Scopes are listed from the commanding tier outwards (street, then district, then city).
 */
export interface TierScope {
  /** Tier name as in `@cad/domain` `Tier` (`street`, `district`, `city`). */
  tier: string;
  allows: ReadonlySet<string> | ((unitId: string) => boolean);
}

/** An open incident with capability slots still to fill. */
export interface AllocationIncident {
  id: string;
  /** 1 = emergency (served first), 2 = urgent, 3 = non-emergency; any positive integer works. */
  priority: number;
  /** Multiplies this incident's ETAs within its priority class (default 1). */
  weight?: number;
  /** Unfilled capabilities, one entry per unit needed (e.g. from `planSlots` / `alarmSlots`). */
  slots: readonly string[];
  /**
   * Commanding tier first, then the wider tiers it may borrow from when a slot cannot be filled in
   * the narrower one (e.g. street, district, city). Empty or omitted: every unit is in scope (tier `city`).
   */
  scopes?: readonly TierScope[];
}

/** A unit known to the allocator: available (no `assignedTo`) or already dispatched. */
export interface AllocationUnit {
  id: string;
  capabilities: readonly string[];
  /** Set when the unit is already dispatched: it is never taken, only offered as a re-assignment recommendation. */
  assignedTo?: { incidentId: string; priority: number } | null;
}

/** Travel times incident x unit, seconds, row-major; `Infinity` = unreachable. */
export interface TravelMatrix {
  incidentIds: readonly string[];
  unitIds: readonly string[];
  seconds: Float64Array | readonly number[];
}

/** Road travel time (seconds) of a unit to an incident from the unit's current position; Infinity when unreachable. */
export type TravelSeconds = ((incidentId: string, unitId: string) => number) | TravelMatrix;

/** Why a slot got its unit. */
export interface ChoiceReason {
  capability: string;
  etaSeconds: number;
  /** Tier whose scope held the unit. */
  tier: string;
  /** Set when the commanding tier had no usable unit and the scope was widened. */
  widenedFrom?: string;
  text: string;
}

/** One filled slot. */
export interface AssignedSlot {
  /** Index into the incident's `slots`. */
  slot: number;
  capability: string;
  unitId: string;
  etaSeconds: number;
  tier: string;
  reason: ChoiceReason;
  /** Best other available capable unit in the same scope, and the incident that took it in this solution (or null). */
  runnerUp: { unitId: string; etaSeconds: number; takenBy: string | null } | null;
}

/** Why a slot stayed empty. */
export type UnfilledCode =
  | 'no-unit-with-capability' // no unit at all (available or dispatched) has it
  | 'no-capable-unit-in-scope' // capable units exist, none available in any allowed tier
  | 'none-reachable' // capable available units in scope, none can reach the incident
  | 'taken-by-higher-or-equal-priority'; // capable reachable units were all given to other slots

export interface UnfilledSlot {
  slot: number;
  capability: string;
  code: UnfilledCode;
  /** Widest tier tried. */
  tier: string;
  text: string;
}

export interface IncidentAllocation {
  incidentId: string;
  priority: number;
  assigned: AssignedSlot[];
  unfilled: UnfilledSlot[];
}

/** A dispatched unit that is much closer to a higher-priority incident. Never applied by the allocator. */
export interface ReassignmentRecommendation {
  unitId: string;
  capability: string;
  fromIncidentId: string;
  fromPriority: number;
  toIncidentId: string;
  toPriority: number;
  /** ETA of the dispatched unit to the higher-priority incident, seconds. */
  etaSeconds: number;
  /** ETA of the unit the allocator chose for that slot, or Infinity when the slot is unfilled. */
  replacesEtaSeconds: number;
  gainSeconds: number;
  /** Always false: a recommendation for the dispatcher, never applied automatically. */
  applied: false;
  text: string;
}

export interface AllocationResult {
  incidents: IncidentAllocation[];
  reassignments: ReassignmentRecommendation[];
}

export interface AllocationOptions {
  /** Recommend a re-assignment when the dispatched unit arrives at least this much sooner (default 120 s). */
  reassignMinGainSeconds?: number;
  /** ... and its ETA is at most this share of the allocator's choice (default 0.5). */
  reassignMaxRatio?: number;
}

const CITY: TierScope = { tier: 'city', allows: () => true };

function allowed(scope: TierScope, unitId: string): boolean {
  return typeof scope.allows === 'function' ? scope.allows(unitId) : scope.allows.has(unitId);
}

/**
 * Allocates available units to the unfilled slots of all open incidents at once.
 *
 * Objective: lexicographic by priority class (1 before 2 before 3): within a class, one minimum-cost
 * assignment (see `solveAssignment`) of all that class's slots to the units still free, cost =
 * weight x ETA seconds, so the class's summed weighted ETA is minimal; a slot is filled first within
 * its incident's commanding tier, and only slots left empty there are assigned in the next wider
 * scope (the street borrows through its district, the district through the city). A unit can fill a
 * slot when it lists the capability, is in scope and its ETA is finite. Dispatched units
 * (`assignedTo` set) are never taken; when one is at least `reassignMinGainSeconds` sooner (and at
 * most `reassignMaxRatio` of the ETA) to a slot of a strictly higher-priority incident than the unit
 * chosen (or an empty slot), a recommendation is returned with `applied: false`.
 * Ties are broken by input order (deterministic).
 * @param travel ETA source; a matrix must list every incident and unit id it is asked about
 * @throws RangeError on duplicate incident or unit ids, a non-positive weight, or an id missing from a travel matrix
 */
export function allocateIncidents(
  incidents: readonly AllocationIncident[],
  units: readonly AllocationUnit[],
  travel: TravelSeconds,
  options: AllocationOptions = {},
): AllocationResult {
  const minGain = options.reassignMinGainSeconds ?? 120;
  const maxRatio = options.reassignMaxRatio ?? 0.5;
  const nI = incidents.length;
  const nU = units.length;
  checkUnique(incidents.map((i) => i.id), 'incident');
  checkUnique(units.map((u) => u.id), 'unit');
  for (const inc of incidents) {
    if (inc.weight !== undefined && !(inc.weight > 0)) throw new RangeError(`incident ${inc.id}: weight must be > 0`);
  }

  // ETA table incident x unit.
  const eta = etaTable(incidents, units, travel);
  const scopesOf = incidents.map((i) => (i.scopes && i.scopes.length ? i.scopes : [CITY]));
  // inScope[k][level] as Uint8Array over units, built lazily.
  const scopeMask = scopesOf.map((scopes) => scopes.map((s) => Uint8Array.from(units, (u) => (allowed(s, u.id) ? 1 : 0))));
  const hasCap = (u: number, cap: string) => units[u].capabilities.includes(cap);
  const free = Uint8Array.from(units, (u) => (u.assignedTo ? 0 : 1));
  const takenBy: (number | null)[] = new Array(nU).fill(null);

  const results: IncidentAllocation[] = incidents.map((inc) => ({ incidentId: inc.id, priority: inc.priority, assigned: [], unfilled: [] }));
  const classes = [...new Set(incidents.map((i) => i.priority))].sort((a, b) => a - b);

  for (const p of classes) {
    // (A dispatch round's classes are priorities with ageing, renumbered: the reason names their size, not the class number.)
    const classSize = incidents.filter((i) => i.priority === p).length;
    let pending: { inc: number; slot: number; cap: string }[] = [];
    incidents.forEach((inc, k) => {
      if (inc.priority === p) inc.slots.forEach((cap, slot) => pending.push({ inc: k, slot, cap }));
    });
    const maxLevels = Math.max(0, ...pending.map((s) => scopesOf[s.inc].length));
    for (let level = 0; level < maxLevels && pending.length; level++) {
      const rows = pending.filter((s) => level < scopesOf[s.inc].length);
      const later = pending.filter((s) => level >= scopesOf[s.inc].length);
      const feasible = (r: { inc: number; cap: string }, u: number) =>
        free[u] === 1 && takenBy[u] === null && scopeMask[r.inc][level][u] === 1 && hasCap(u, r.cap) && Number.isFinite(eta[r.inc * nU + u]);
      const cols: number[] = [];
      for (let u = 0; u < nU; u++) if (rows.some((r) => feasible(r, u))) cols.push(u);
      if (rows.length === 0 || cols.length === 0) continue;
      const R = rows.length;
      const C = cols.length;
      const cost = new Float64Array(R * C);
      let maxCost = 0;
      for (let a = 0; a < R; a++) {
        const w = incidents[rows[a].inc].weight ?? 1;
        for (let b = 0; b < C; b++) {
          const u = cols[b];
          if (feasible(rows[a], u)) {
            const c = w * eta[rows[a].inc * nU + u];
            cost[a * C + b] = c;
            if (c > maxCost) maxCost = c;
          } else cost[a * C + b] = -1;
        }
      }
      // Forbidden cost above any sum of allowed costs: the number of filled slots is maximised first.
      const big = (maxCost + 1) * (Math.min(R, C) + 1);
      for (let k = 0; k < cost.length; k++) if (cost[k] < 0) cost[k] = big;
      const sol = solveAssignment(cost, R, C);
      const still: typeof pending = [];
      for (let a = 0; a < R; a++) {
        const b = sol.rowToCol[a];
        const r = rows[a];
        if (b < 0 || cost[a * C + b] === big) {
          still.push(r);
          continue;
        }
        const u = cols[b];
        takenBy[u] = r.inc;
        const scopes = scopesOf[r.inc];
        const t = eta[r.inc * nU + u];
        const widenedFrom = level > 0 ? scopes[0].tier : undefined;
        results[r.inc].assigned.push({
          slot: r.slot,
          capability: r.cap,
          unitId: units[u].id,
          etaSeconds: t,
          tier: scopes[level].tier,
          reason: {
            capability: r.cap,
            etaSeconds: t,
            tier: scopes[level].tier,
            widenedFrom,
            text:
              `${units[u].id} has ${r.cap}, ETA ${Math.round(t)} s, in ${scopes[level].tier} scope` +
              (widenedFrom ? ` (borrowed: no usable ${r.cap} in ${widenedFrom} scope)` : '') +
              `; least total ETA over the ${classSize} open incident${classSize === 1 ? '' : 's'} solved in its priority class`,
          },
          runnerUp: null,
        });
      }
      pending = [...still, ...later];
    }
    for (const r of pending) results[r.inc].unfilled.push(unfilledReason(r, scopesOf[r.inc], scopeMask[r.inc], units, free, eta, nU));
  }

  // Runner-up per assigned slot: best other available capable unit in the scope it was filled from.
  results.forEach((res, k) => {
    const levelOf = (tier: string) => scopesOf[k].findIndex((s) => s.tier === tier);
    for (const a of res.assigned) {
      const mask = scopeMask[k][Math.max(0, levelOf(a.tier))];
      let best = -1;
      for (let u = 0; u < nU; u++) {
        if (!free[u] || units[u].id === a.unitId || !mask[u] || !hasCap(u, a.capability)) continue;
        const t = eta[k * nU + u];
        if (Number.isFinite(t) && (best < 0 || t < eta[k * nU + best])) best = u;
      }
      if (best >= 0) {
        const tb = takenBy[best];
        a.runnerUp = { unitId: units[best].id, etaSeconds: eta[k * nU + best], takenBy: tb === null ? null : incidents[tb].id };
      }
    }
    res.assigned.sort((x, y) => x.slot - y.slot);
    res.unfilled.sort((x, y) => x.slot - y.slot);
  });

  // Re-assignment recommendations (never applied).
  const candidates: ReassignmentRecommendation[] = [];
  for (let k = 0; k < nI; k++) {
    const inc = incidents[k];
    const slots = [
      ...results[k].assigned.map((a) => ({ cap: a.capability, current: a.etaSeconds })),
      ...results[k].unfilled.map((f) => ({ cap: f.capability, current: Infinity })),
    ];
    for (const s of slots) {
      for (let u = 0; u < nU; u++) {
        const as = units[u].assignedTo;
        if (!as || !(as.priority > inc.priority) || !hasCap(u, s.cap)) continue;
        if (!scopeMask[k].some((m) => m[u] === 1)) continue;
        const t = eta[k * nU + u];
        if (!Number.isFinite(t)) continue;
        const gain = s.current - t;
        if (gain >= minGain && t <= maxRatio * s.current) {
          candidates.push({
            unitId: units[u].id,
            capability: s.cap,
            fromIncidentId: as.incidentId,
            fromPriority: as.priority,
            toIncidentId: inc.id,
            toPriority: inc.priority,
            etaSeconds: t,
            replacesEtaSeconds: s.current,
            gainSeconds: gain,
            applied: false,
            text:
              `recommend re-assigning ${units[u].id} from P${as.priority} incident ${as.incidentId} to P${inc.priority} incident ${inc.id}: ` +
              `ETA ${Math.round(t)} s instead of ${Number.isFinite(s.current) ? `${Math.round(s.current)} s` : 'no unit'}`,
          });
        }
      }
    }
  }
  // One recommendation per unit and per (incident, slot), largest gain first, higher priority first.
  candidates.sort((a, b) => a.toPriority - b.toPriority || b.gainSeconds - a.gainSeconds);
  const usedUnit = new Set<string>();
  const slotUses = new Map<string, number>();
  const slotCount = new Map<string, number>();
  for (let k = 0; k < nI; k++) {
    for (const cap of incidents[k].slots) slotCount.set(`${incidents[k].id}\u0000${cap}`, (slotCount.get(`${incidents[k].id}\u0000${cap}`) ?? 0) + 1);
  }
  const reassignments: ReassignmentRecommendation[] = [];
  for (const c of candidates) {
    const key = `${c.toIncidentId}\u0000${c.capability}`;
    if (usedUnit.has(c.unitId) || (slotUses.get(key) ?? 0) >= (slotCount.get(key) ?? 0)) continue;
    usedUnit.add(c.unitId);
    slotUses.set(key, (slotUses.get(key) ?? 0) + 1);
    reassignments.push(c);
  }
  return { incidents: results, reassignments };
}

function unfilledReason(
  r: { inc: number; slot: number; cap: string },
  scopes: readonly TierScope[],
  masks: Uint8Array[],
  units: readonly AllocationUnit[],
  free: Uint8Array,
  eta: Float64Array,
  nU: number,
): UnfilledSlot {
  const tier = scopes[scopes.length - 1].tier;
  const base = { slot: r.slot, capability: r.cap, tier };
  let anyCap = false;
  let inScope = false;
  let reachable = false;
  for (let u = 0; u < nU; u++) {
    if (!units[u].capabilities.includes(r.cap)) continue;
    anyCap = true;
    if (!free[u] || !masks.some((m) => m[u] === 1)) continue;
    inScope = true;
    if (Number.isFinite(eta[r.inc * nU + u])) reachable = true;
  }
  if (!anyCap) return { ...base, code: 'no-unit-with-capability', text: `no unit has capability ${r.cap}` };
  if (!inScope) return { ...base, code: 'no-capable-unit-in-scope', text: `no available ${r.cap} unit within ${scopes.map((s) => s.tier).join(', ')} scope` };
  if (!reachable) return { ...base, code: 'none-reachable', text: `no available ${r.cap} unit in scope can reach the incident by road` };
  return { ...base, code: 'taken-by-higher-or-equal-priority', text: `every reachable ${r.cap} unit in scope went to an incident of equal or higher priority` };
}

function checkUnique(ids: string[], what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new RangeError(`duplicate ${what} id "${id}"`);
    seen.add(id);
  }
}

function etaTable(incidents: readonly AllocationIncident[], units: readonly AllocationUnit[], travel: TravelSeconds): Float64Array {
  const nU = units.length;
  const out = new Float64Array(incidents.length * nU);
  if (typeof travel === 'function') {
    incidents.forEach((inc, k) => units.forEach((u, j) => (out[k * nU + j] = sanitize(travel(inc.id, u.id)))));
    return out;
  }
  const row = new Map(travel.incidentIds.map((id, i) => [id, i]));
  const col = new Map(travel.unitIds.map((id, j) => [id, j]));
  const W = travel.unitIds.length;
  incidents.forEach((inc, k) => {
    const i = row.get(inc.id);
    if (i === undefined) throw new RangeError(`travel matrix has no row for incident "${inc.id}"`);
    units.forEach((u, j) => {
      const c = col.get(u.id);
      if (c === undefined) throw new RangeError(`travel matrix has no column for unit "${u.id}"`);
      out[k * nU + j] = sanitize(travel.seconds[i * W + c]);
    });
  });
  return out;
}

/** NaN or negative travel times are treated as unreachable. */
function sanitize(t: number): number {
  return typeof t === 'number' && t >= 0 ? t : Infinity;
}
