import { CAPABILITIES, Capability, primaryCapability } from './units';
import { median, nearestRank } from './statistics';

/** Command tiers of the chain, from the one that executes to the one that coordinates. */
export type Tier = 'street' | 'district' | 'city';

/** One alarm level of a run card: the units it adds and the tier that commands once it is struck. */
export interface AlarmLevel {
  /** 1 = first alarm (initial assignment), 2 = second alarm, ... */
  level: number;
  /** Units this level ADDS, per primary capability (level 2 lists only the extra units). */
  slots: Partial<Record<Capability, number>>;
  /** Tier commanding the incident once this level is dispatched. */
  commandingTier: Tier;
}

/**
 * Travel-time targets of a plan, seconds of travel (turnout excluded), after NFPA 1710 (2020 ed.)
 * §4.1.2.1: first engine company 240 s; full first-alarm assignment 480 s; ALS unit 480 s (only when
 * the plan sends an ambulance). Turnout: 60 s for EMS, 80 s for fire (NFPA 1710 §4.1.2.1(2)).
 */
export interface ResponseTargets {
  firstEngineTravelSeconds: number;
  fullFirstAlarmTravelSeconds: number;
  alsTravelSeconds: number | null;
  turnoutSeconds: number;
}

/**
 * A response plan (run card): how many units of each capability an incident type needs, and which
 * tier commands it.
 */
export interface ResponsePlan {
  /** Call type, as in the SFFD `Call Type` column (`"Structure Fire"`). */
  callType: string;
  /** First-alarm units per primary capability, e.g. `{ engine: 2, truck: 1, chief: 1 }` (= `alarms[0].slots`). */
  slots: Partial<Record<Capability, number>>;
  /** Tier that commands an incident of this type at first alarm (= `alarms[0].commandingTier`). */
  commandingTier: Tier;
  /** Number of historical incidents the plan was derived from (0 for the fallback plan). */
  derivedFrom: number;
  /**
   * Alarm levels, first alarm first. Optional so that plans stored before alarm levels existed stay
   * valid; read them through {@link alarmsOf}, which fills in the default.
   */
  alarms?: AlarmLevel[];
  /** Travel-time targets; read through {@link targetsOf}, which fills in the NFPA 1710 defaults. */
  targets?: ResponseTargets;
}

/** One unit response of one historical incident (one CSV row of the SFFD data). */
export interface HistoricalUnitResponse {
  incidentKey: string;
  callType: string;
  unitType: string;
}

/** Plan used for a call type with no history: one engine, the SFFD first-due default. */
export const FALLBACK_PLAN: Omit<ResponsePlan, 'callType'> = {
  slots: { engine: 1 },
  commandingTier: 'street',
  derivedFrom: 0,
  alarms: [
    { level: 1, slots: { engine: 1 }, commandingTier: 'street' },
    { level: 2, slots: { engine: 1 }, commandingTier: 'district' },
  ],
  targets: { firstEngineTravelSeconds: 240, fullFirstAlarmTravelSeconds: 480, alsTravelSeconds: null, turnoutSeconds: 80 },
};

/** NFPA 1710 (2020 ed.) §4.1.2.1 travel-time targets, seconds. */
export const NFPA_1710 = {
  firstEngineTravelSeconds: 240,
  fullFirstAlarmTravelSeconds: 480,
  alsTravelSeconds: 480,
  emsTurnoutSeconds: 60,
  fireTurnoutSeconds: 80,
} as const;

/** Call types commanded by the city from the first alarm: mass- or multi-casualty incidents. */
const CITY_COMMANDED = /mass.?casualty|multi.?casualty|\bmci\b/i;
/** A first alarm of at least this many units is commanded by the district (more than one street's stations field). */
export const DISTRICT_COMMAND_MIN_UNITS = 5;

/**
 * Derives a response plan per call type from what was actually sent.
 *
 * Method (documented for the integrator and the issue):
 * - First alarm: for each call type, the number of units of each primary capability per incident is
 *   counted, and the plan takes the median of those counts over the incidents of that type (rounded
 *   half up), keeping capabilities whose median is at least one. A type whose medians are all zero
 *   (mixed responses) gets one unit of its most frequently sent capability.
 * - Second alarm: the 90th percentile (nearest rank) of the same per-incident counts is what SFFD
 *   sent to the biggest tenth of that type's incidents; the second alarm adds, per capability, that
 *   count minus the first alarm's (when positive). When the history shows no bigger response, the
 *   second alarm repeats the first alarm's engines and trucks (or its whole complement when it has
 *   neither), the usual "another first-alarm assignment" of a greater alarm.
 * - Commanding tier: `city` for mass/multi-casualty types; `district` when the first alarm has at
 *   least {@link DISTRICT_COMMAND_MIN_UNITS} units; otherwise `street`. A second alarm moves command
 *   one tier up (street -> district -> city), so a multi-alarm structure fire is district-commanded.
 * - Targets: NFPA 1710 (see {@link ResponseTargets}); `alsTravelSeconds` only when the first alarm
 *   sends an ambulance; turnout 60 s when the first alarm is ambulances only, else 80 s.
 * @param rows unit responses; rows with an unknown unit type are ignored
 * @returns plans keyed by call type
 */
export function derivePlans(rows: Iterable<HistoricalUnitResponse>): Map<string, ResponsePlan> {
  const byType = new Map<string, Map<string, Map<Capability, number>>>();
  for (const row of rows) {
    let cap: Capability;
    try {
      cap = primaryCapability(row.unitType);
    } catch {
      continue;
    }
    const incidents = byType.get(row.callType) ?? new Map<string, Map<Capability, number>>();
    byType.set(row.callType, incidents);
    const counts = incidents.get(row.incidentKey) ?? new Map<Capability, number>();
    incidents.set(row.incidentKey, counts);
    counts.set(cap, (counts.get(cap) ?? 0) + 1);
  }
  const plans = new Map<string, ResponsePlan>();
  for (const [callType, incidents] of byType) {
    const caps = new Set<Capability>();
    for (const counts of incidents.values()) for (const c of counts.keys()) caps.add(c);
    const slots: Partial<Record<Capability, number>> = {};
    const big: Partial<Record<Capability, number>> = {};
    let mostSent: Capability | null = null;
    let mostSentTotal = -1;
    for (const cap of caps) {
      const perIncident = [...incidents.values()].map((c) => c.get(cap) ?? 0);
      const med = median(perIncident);
      if (Math.floor(med + 0.5) >= 1) slots[cap] = Math.floor(med + 0.5);
      big[cap] = nearestRank(perIncident, 0.9);
      const total = perIncident.reduce((a, b) => a + b, 0);
      if (total > mostSentTotal) {
        mostSentTotal = total;
        mostSent = cap;
      }
    }
    if (Object.keys(slots).length === 0 && mostSent) slots[mostSent] = 1;
    plans.set(callType, buildPlan(callType, slots, big, incidents.size));
  }
  return plans;
}

const UP: Record<Tier, Tier> = { street: 'district', district: 'city', city: 'city' };

function buildPlan(
  callType: string,
  first: Partial<Record<Capability, number>>,
  big: Partial<Record<Capability, number>>,
  derivedFrom: number,
): ResponsePlan {
  let second: Partial<Record<Capability, number>> = {};
  for (const [cap, n] of Object.entries(big) as [Capability, number][]) {
    const extra = n - (first[cap] ?? 0);
    if (extra > 0) second[cap] = extra;
  }
  if (Object.keys(second).length === 0) {
    second = {};
    if (first.engine) second.engine = first.engine;
    if (first.truck) second.truck = first.truck;
    if (Object.keys(second).length === 0) second = { ...first };
  }
  const firstUnits = Object.values(first).reduce((a, b) => a + (b ?? 0), 0);
  const tier: Tier = CITY_COMMANDED.test(callType) ? 'city' : firstUnits >= DISTRICT_COMMAND_MIN_UNITS ? 'district' : 'street';
  const sendsAmbulance = (first.ambulance ?? 0) + (first.als ?? 0) > 0;
  const ambulanceOnly = sendsAmbulance && Object.keys(first).every((c) => c === 'ambulance' || c === 'als');
  return {
    callType,
    slots: first,
    commandingTier: tier,
    derivedFrom,
    alarms: [
      { level: 1, slots: first, commandingTier: tier },
      { level: 2, slots: second, commandingTier: UP[tier] },
    ],
    targets: {
      firstEngineTravelSeconds: NFPA_1710.firstEngineTravelSeconds,
      fullFirstAlarmTravelSeconds: NFPA_1710.fullFirstAlarmTravelSeconds,
      alsTravelSeconds: sendsAmbulance ? NFPA_1710.alsTravelSeconds : null,
      turnoutSeconds: ambulanceOnly ? NFPA_1710.emsTurnoutSeconds : NFPA_1710.fireTurnoutSeconds,
    },
  };
}

/**
 * Alarm levels of a plan; a plan stored without them (before alarm levels existed) gets its slots as
 * the first alarm and the same engines/trucks again as a district-commanded second alarm.
 */
export function alarmsOf(plan: ResponsePlan): AlarmLevel[] {
  if (plan.alarms && plan.alarms.length > 0) return plan.alarms;
  return buildPlan(plan.callType, plan.slots, {}, plan.derivedFrom).alarms!.map((a, i) =>
    i === 0 ? { ...a, commandingTier: plan.commandingTier } : { ...a, commandingTier: UP[plan.commandingTier] },
  );
}

/** Travel-time targets of a plan, NFPA 1710 defaults when the plan was stored without them. */
export function targetsOf(plan: ResponsePlan): ResponseTargets {
  return plan.targets ?? buildPlan(plan.callType, plan.slots, {}, plan.derivedFrom).targets!;
}

/**
 * Slots (one capability per unit) an incident needs up to and including alarm `level`, engine first
 * within each level, lower levels first.
 * @throws RangeError when `level` is not an integer >= 1
 */
export function alarmSlots(plan: ResponsePlan, level: number): Capability[] {
  if (!Number.isInteger(level) || level < 1) throw new RangeError(`level must be an integer >= 1, got ${String(level)}`);
  return alarmsOf(plan)
    .filter((a) => a.level <= level)
    .sort((a, b) => a.level - b.level)
    .flatMap((a) => planSlots({ slots: a.slots }));
}

/** Tier commanding at alarm `level` (the highest stored level not above it). */
export function commandingTierAt(plan: ResponsePlan, level: number): Tier {
  const levels = alarmsOf(plan).filter((a) => a.level <= level);
  return levels.length ? levels[levels.length - 1].commandingTier : plan.commandingTier;
}

/**
 * The plan for a call type, or the fallback plan (one engine) when none is known.
 * @param plans plans keyed by call type, as from {@link derivePlans}
 */
export function planFor(plans: ReadonlyMap<string, ResponsePlan>, callType: string): ResponsePlan {
  return plans.get(callType) ?? { callType, ...FALLBACK_PLAN };
}

const FIRE_EMS_ORDER: Capability[] = ['engine', 'ambulance', 'als', 'truck', 'rescue', 'chief', 'rescue_captain', 'support'];
/** Slot order: the fire and EMS ones first, then other agencies' (police, water and gas crews) in `CAPABILITIES` order. */
const SLOT_ORDER: Capability[] = [...FIRE_EMS_ORDER, ...CAPABILITIES.filter((c) => !FIRE_EMS_ORDER.includes(c))];

/**
 * Expands a plan into one slot per unit needed, ordered engine first, as units are dispatched; other
 * agencies' slots (`police`, `water_crew`, `gas_crew`) come after the fire and EMS ones.
 */
export function planSlots(plan: ResponsePlan | Pick<ResponsePlan, 'slots'>): Capability[] {
  const order = SLOT_ORDER;
  const out: Capability[] = [];
  for (const cap of order) for (let i = 0; i < (plan.slots[cap] ?? 0); i++) out.push(cap);
  return out;
}

/**
 * Plan slots not yet covered by active assignments: each assignment covers one slot of its
 * capability. `unfilledSlots(['engine','engine','als'], ['engine'])` is `['engine','als']`.
 * @param slots the plan's slots (see {@link planSlots})
 * @param assignedCaps the capability of every active assignment of the incident
 */
export function unfilledSlots<T extends string>(slots: readonly T[], assignedCaps: readonly string[]): T[] {
  const left = [...assignedCaps];
  return slots.filter((s) => {
    const k = left.indexOf(s);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  });
}

