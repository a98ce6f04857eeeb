import { METRES_PER_DEGREE_LAT, metresPerDegreeLon } from './degrees';
import type { Capability } from './units';
import { Agency, agencyOfCapability } from './agencies';
import type { Tier } from './response-plan';

/** The tiers from the one that executes to the one that coordinates. */
export const TIERS: readonly Tier[] = ['street', 'district', 'city'];

/** The tier above `tier`, or null for the city (the top of the chain). */
export function parentTier(tier: Tier): Tier | null {
  const i = TIERS.indexOf(tier);
  return i >= 0 && i < TIERS.length - 1 ? TIERS[i + 1] : null;
}

/** The tier below `tier`, or null for the street (the bottom of the chain). */
export function childTier(tier: Tier): Tier | null {
  const i = TIERS.indexOf(tier);
  return i > 0 ? TIERS[i - 1] : null;
}

/** True when `value` names a tier. */
export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}

/**
 * The tier commanding an incident now: its stored `commandingTier` when that names a tier, else
 * `street`, the bottom of the command chain, where every incident starts (a row written before the
 * column held a tier, or a value no tier has, is treated as never escalated).
 * @param incident anything with the `commandingTier` column of an incident row
 * @returns `street`, `district` or `city`
 */
export function currentTier(incident: { commandingTier: string }): Tier {
  return isTier(incident.commandingTier) ? incident.commandingTier : 'street';
}

/**
 * Time limits of the escalation policy, seconds.
 *
 * Travel targets are NFPA 1710 (2020) §4.1.2.1: 240 s travel for the first arriving engine company
 * and 480 s travel for the full first-alarm assignment (and for an ALS unit where ALS is provided).
 * The acknowledgement and pending limits are this system's defaults, configurable per deployment.
 */
export interface EscalationPolicy {
  /** Travel-time target for the first engine, seconds (NFPA 1710: 240). */
  firstEngineTravelS: number;
  /** Travel-time target for the full first-alarm assignment, seconds (NFPA 1710: 480). */
  fullFirstAlarmTravelS: number;
  /** A dispatched task not acknowledged by its crew within this many seconds escalates. */
  ackTimeoutS: number;
  /** An incident left without any unit at its tier for this many seconds escalates. */
  pendingTimeoutS: number;
  /**
   * First-unit travel targets of the agencies other than fire, seconds (the city profile's
   * `agencies.<agency>.firstUnitTravelS`, see `agencyTravelTargets`): the first unit of each agency in
   * a fill must arrive within its own agency's target. Police and utility slots with a target are held
   * to it alone, not to the fire first-alarm target. Unset: every slot is held to the NFPA targets.
   */
  agencyTravelS?: Partial<Record<Agency, number>>;
}

/** NFPA 1710 travel targets and 60 s acknowledgement and pending limits. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  firstEngineTravelS: 240,
  fullFirstAlarmTravelS: 480,
  ackTimeoutS: 60,
  pendingTimeoutS: 60,
};

/** Why an incident moved up the chain. */
export type EscalationReason = 'plan_not_coverable' | 'not_acknowledged' | 'no_unit_in_time' | 'manual' | 'resources_requested' | 'request_unanswered';

/** A plan fill as seen by the escalation policy: one entry per slot, ETA seconds (Infinity: none). */
export interface FillForPolicy {
  /** `agency`: the agency of the unit chosen for the slot; absent: the capability's agency (`agencyOfCapability`). */
  slots: readonly { capability: Capability | string; etaSeconds: number | null; agency?: Agency | string | null }[];
}

/** Verdict of {@link assessCoverage}. */
export interface CoverageVerdict {
  /** True when the tier can cover the plan within the travel targets. */
  covered: boolean;
  /** Human-readable explanation naming the first failing slot and target (empty when covered). */
  detail: string;
}

/**
 * Decides whether a tier's own units cover an incident's response plan in time: every slot must be
 * filled, the first engine (when the plan has one) must arrive within `firstEngineTravelS`, the first
 * unit of every other agency with a target in `agencyTravelS` within its own agency's target (the
 * agency of the unit chosen for the slot), and every fire and EMS slot (every slot of an agency without
 * a target) within `fullFirstAlarmTravelS` (NFPA 1710 §4.1.2.1).
 * @param fill one entry per plan slot with the chosen unit's travel time in seconds, or null when
 *   no unit of that capability could be found in the tier
 */
export function assessCoverage(fill: FillForPolicy, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): CoverageVerdict {
  const missing = fill.slots.filter((s) => s.etaSeconds === null || !Number.isFinite(s.etaSeconds));
  if (missing.length) {
    return { covered: false, detail: `no unit for ${missing.map((s) => s.capability).join(', ')} in this tier` };
  }
  const engines = fill.slots.filter((s) => s.capability === 'engine').map((s) => s.etaSeconds as number);
  if (engines.length) {
    const first = Math.min(...engines);
    if (first > policy.firstEngineTravelS) {
      return { covered: false, detail: `first engine ${Math.round(first)} s > ${policy.firstEngineTravelS} s target (NFPA 1710)` };
    }
  }
  const agencyOf = (s: FillForPolicy['slots'][number]): string => s.agency ?? agencyOfCapability(String(s.capability));
  const ownTarget = (agency: string): number | undefined => (agency === 'fire' ? undefined : policy.agencyTravelS?.[agency as Agency]);
  for (const agency of [...new Set(fill.slots.map(agencyOf))].sort()) {
    const target = ownTarget(agency);
    if (target === undefined) continue;
    const first = Math.min(...fill.slots.filter((s) => agencyOf(s) === agency).map((s) => s.etaSeconds as number));
    if (first > target) return { covered: false, detail: `first ${agency} unit ${Math.round(first)} s > ${target} s target (${agency})` };
  }
  // Fire and EMS slots (and any agency without a target of its own) make the first alarm.
  const alarm = fill.slots.filter((s) => agencyOf(s) === 'fire' || agencyOf(s) === 'ems' || ownTarget(agencyOf(s)) === undefined);
  const worst = Math.max(...alarm.map((s) => s.etaSeconds as number));
  if (alarm.length && worst > policy.fullFirstAlarmTravelS) {
    return { covered: false, detail: `full first alarm ${Math.round(worst)} s > ${policy.fullFirstAlarmTravelS} s target (NFPA 1710)` };
  }
  return { covered: true, detail: '' };
}

/** Families of call types: calls of one family about one place are one emergency. */
export type CallFamily = 'fire' | 'alarm' | 'medical' | 'traffic' | 'rescue' | 'hazmat' | 'service' | 'other';

const FAMILY_PATTERNS: [RegExp, CallFamily][] = [
  [/alarm/i, 'alarm'],
  [/fire|smoke|explosion/i, 'fire'],
  [/medical|cardiac|breathing|overdose|injur|sick|fall/i, 'medical'],
  [/traffic|collision|vehicle accident|mva/i, 'traffic'],
  [/rescue|collapse|confined space|elevator|escalator|train|marine/i, 'rescue'],
  [/hazmat|gas leak|fuel spill|odor|electrical hazard|industrial/i, 'hazmat'],
  [/citizen assist|service call|lock/i, 'service'],
];

/**
 * The family of a call type, by keyword (matched in order, so "Vehicle Fire" is `fire` and
 * "Alarms" is `alarm`). Unknown types are `other` and link only to incidents of exactly the same
 * type.
 */
export function callFamily(callType: string): CallFamily {
  for (const [re, family] of FAMILY_PATTERNS) if (re.test(callType)) return family;
  return 'other';
}

/**
 * True when two call types are about the same kind of emergency (same family; `other` types only
 * when the types are equal).
 */
export function sameEmergencyKind(a: string, b: string): boolean {
  const fa = callFamily(a);
  return fa === 'other' ? a === b : fa === callFamily(b);
}

/** Window inside which a new call is taken as another report of an open incident. */
export interface DuplicateWindow {
  /** Greatest distance between the call and the incident, metres. */
  radiusMetres: number;
  /** Greatest time between the incident's first call and the new call, seconds. */
  windowSeconds: number;
}

/** About one block and ten minutes: the window most CAD duplicate checks default to. */
export const DEFAULT_DUPLICATE_WINDOW: DuplicateWindow = { radiusMetres: 150, windowSeconds: 600 };

/**
 * Keys of the grid cells (side `cellMetres`) that a circle of `radiusMetres` around a point can
 * touch, sorted. Two points within `radiusMetres` of each other always share a key (the cell of
 * either point lies in the other's set), so taking a lock per key serialises the duplicate check of
 * nearby calls while distant calls proceed in parallel. Requires `cellMetres >= 2 * radiusMetres`
 * for the set to stay within 4 cells.
 * @param lat WGS84 degrees
 * @param lon WGS84 degrees
 * @returns integer keys, ascending (lock them in this order to avoid deadlocks)
 */
export function nearbyCellKeys(lat: number, lon: number, radiusMetres: number, cellMetres = 500): number[] {
  const y = (lat * METRES_PER_DEGREE_LAT) / cellMetres;
  const x = (lon * metresPerDegreeLon(lat)) / cellMetres;
  const r = radiusMetres / cellMetres;
  const keys = new Set<number>();
  for (const dy of [-r, r]) {
    for (const dx of [-r, r]) {
      const cy = Math.floor(y + dy);
      const cx = Math.floor(x + dx);
      // Fold into a 32-bit key: cells are ~500 m, so |cx|,|cy| < 2^16 everywhere on Earth.
      keys.add(((cy & 0xffff) << 16) | (cx & 0xffff));
    }
  }
  return [...keys].sort((a, b) => a - b);
}
