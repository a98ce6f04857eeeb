import { CAPABILITIES, Capability, primaryCapability } from './units';
import { median, nearestRank } from './statistics';
import type { Priority } from './priority';

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
  /**
   * The priority this plan answers (a priority variant of its call type's plan); absent on the type's
   * own plan, which answers every priority without a variant.
   */
  priority?: Priority;
  /**
   * Priority variants of a type's plan (each with `priority` set), most urgent first; only on a type's
   * own plan. Read through {@link planFor}.
   */
  variants?: ResponsePlan[];
}

/** One unit response of one historical incident (one CSV row of the SFFD data). */
export interface HistoricalUnitResponse {
  incidentKey: string;
  callType: string;
  unitType: string;
  /**
   * The incident's priority when it was dispatched (SFFD `Priority` column through `priorityFromSf`);
   * absent: no priority variant is derived from the row (it still counts for its type's plan).
   */
  priority?: Priority;
}

/**
 * Fewest historical incidents of one (call type, priority) pair from which a priority variant is derived;
 * a pair with fewer is answered by its type's plan. 20 keeps the median of a count stable to one unit
 * where one response mode dominates (SFFD's P2 medical calls: 58% ambulance alone), and still yields the
 * variants that carry most calls (north strip: P1 and P2 medical, 530 and 538 incidents; P1 alarms 143;
 * P1 structure fires 62).
 */
export const MIN_INCIDENTS_PER_PRIORITY_PLAN = 20;

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
 * Derives a response plan per call type from what was actually sent, and a variant of it per priority
 * where the history holds enough incidents of that (call type, priority) pair.
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
 * - Priority variants (issue 20): the same rules over the incidents of one (call type, priority) pair,
 *   for every pair with at least `minIncidents` incidents (default {@link MIN_INCIDENTS_PER_PRIORITY_PLAN}),
 *   stored in the type plan's `variants`. The priority is the one the call was dispatched at: SFFD's
 *   `Priority` column (the importer's `priorityCode`, mapped by `priorityFromSf`, as the replay does), not
 *   `Final Priority` (set afterwards) nor `Original Priority` (the call-taker's first code): of the 112
 *   incidents (citywide week) coded 2 at entry and 3 or E in `Priority`, 94 (84%) got an engine, as
 *   emergencies do, and 42 of their 97 multi-unit responses left in the same second. Why variants: on
 *   the citywide week, 58% (793 of 1,364) of priority-2 `Medical Incident` calls were answered by
 *   ambulances alone and 39% (536) got an engine or a truck, against 2% (27) and 96% (1,277) of the
 *   1,324 priority-1 ones (north strip: 57% and 40% of 538 P2 calls, 2% and 96% of 530 P1 calls). The type's plan (median over both) sends an
 *   engine to every medical call; the P2 variant sends one ambulance, the P1 variant an engine and an
 *   ambulance. The data holds no priority-3 (`1`, `C`) medical call dispatched as such; see
 *   {@link planFor} for how a P3 call is answered.
 * @param rows unit responses; rows with an unknown unit type are ignored; rows without a priority count
 *   for their type's plan only
 * @param minIncidents fewest incidents of a (type, priority) pair for a variant (a whole number >= 1)
 * @returns plans keyed by call type, each with its priority variants (most urgent first) when any
 * @throws RangeError when `minIncidents` is not a whole number >= 1
 */
export function derivePlans(rows: Iterable<HistoricalUnitResponse>, minIncidents = MIN_INCIDENTS_PER_PRIORITY_PLAN): Map<string, ResponsePlan> {
  if (!Number.isInteger(minIncidents) || minIncidents < 1) throw new RangeError(`minIncidents must be a whole number >= 1, got ${String(minIncidents)}`);
  type Incidents = Map<string, Map<Capability, number>>;
  const byType = new Map<string, Incidents>();
  const byPair = new Map<string, Map<Priority, Incidents>>();
  const count = (incidents: Incidents, key: string, cap: Capability) => {
    const counts = incidents.get(key) ?? new Map<Capability, number>();
    incidents.set(key, counts);
    counts.set(cap, (counts.get(cap) ?? 0) + 1);
  };
  for (const row of rows) {
    let cap: Capability;
    try {
      cap = primaryCapability(row.unitType);
    } catch {
      continue;
    }
    const incidents = byType.get(row.callType) ?? new Map<string, Map<Capability, number>>();
    byType.set(row.callType, incidents);
    count(incidents, row.incidentKey, cap);
    if (row.priority === undefined) continue;
    const pairs = byPair.get(row.callType) ?? new Map<Priority, Incidents>();
    byPair.set(row.callType, pairs);
    const ofPair = pairs.get(row.priority) ?? new Map<string, Map<Capability, number>>();
    pairs.set(row.priority, ofPair);
    count(ofPair, row.incidentKey, cap);
  }
  const plans = new Map<string, ResponsePlan>();
  for (const [callType, incidents] of byType) {
    const plan = planOfIncidents(callType, incidents);
    const variants = [...(byPair.get(callType) ?? new Map<Priority, Incidents>())]
      .filter(([, ofPair]) => ofPair.size >= minIncidents)
      .sort(([a], [b]) => a - b)
      .map(([priority, ofPair]): ResponsePlan => ({ ...planOfIncidents(callType, ofPair), priority }));
    plans.set(callType, variants.length ? { ...plan, variants } : plan);
  }
  return plans;
}

/** The plan of one call type from its incidents' unit counts (see {@link derivePlans}). */
function planOfIncidents(callType: string, incidents: ReadonlyMap<string, ReadonlyMap<Capability, number>>): ResponsePlan {
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
  return buildPlan(callType, slots, big, incidents.size);
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
 * A plan with its first alarm replaced by `firstAlarm` (units per primary capability): what an
 * incident carrying its own first alarm gets (a drill replaying the units history sent to that call,
 * issue 20). The commanding tier and the higher alarm levels stay the plan's; the travel targets follow
 * the new first alarm (an ALS target only when it sends an ambulance). `null`/`undefined`: the plan as is.
 * @param plan the plan of the incident's type and priority ({@link planFor})
 * @param firstAlarm units per capability, each a whole number ≥ 0; capabilities at 0 are left out
 * @returns a new plan; `plan` itself is not changed
 */
export function withFirstAlarm(plan: ResponsePlan, firstAlarm: Partial<Record<Capability, number>> | null | undefined): ResponsePlan {
  if (!firstAlarm) return plan;
  const slots = Object.fromEntries(Object.entries(firstAlarm).filter(([, n]) => (n ?? 0) > 0)) as Partial<Record<Capability, number>>;
  const levels = alarmsOf(plan);
  const own = buildPlan(plan.callType, slots, {}, plan.derivedFrom).targets!;
  const given = targetsOf(plan);
  return {
    ...plan,
    slots,
    alarms: levels.map((a) => (a.level === 1 ? { ...a, slots } : a)),
    targets: { ...given, alsTravelSeconds: own.alsTravelSeconds === null ? null : (given.alsTravelSeconds ?? own.alsTravelSeconds), turnoutSeconds: own.turnoutSeconds },
  };
}

/**
 * The plan of an incident: its type's plan for its priority ({@link planFor}), with its own first alarm
 * when it carries one ({@link withFirstAlarm}: a drill call replaying what history sent).
 * @param plans plans keyed by call type (variants inside each type's plan)
 */
export function planForIncident(
  plans: ReadonlyMap<string, ResponsePlan>,
  incident: { type: string; priority: number; firstAlarm?: Partial<Record<Capability, number>> | null },
): ResponsePlan {
  return withFirstAlarm(planFor(plans, incident.type, incident.priority), incident.firstAlarm);
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
 * The plan for a call type and priority: the type's variant for that priority; for a priority-3 call
 * with no variant of its own, its type's priority-2 variant (SFFD answers both without lights and
 * sirens, and its data holds no P3 medical call to derive one from: a P3 call is never sent more than a
 * P2 call of its type would get); else the type's own plan; else {@link FALLBACK_PLAN} (one engine).
 * A priority-1 call never takes a less urgent variant, nor a P2/P3 call the P1 one.
 * @param plans plans keyed by call type, as from {@link derivePlans} (variants inside each type's plan)
 * @param priority the incident's priority now (1 most urgent); absent: the type's own plan
 * @returns the plan that applies; a variant has `priority` set, the type's own plan has none
 */
export function planFor(plans: ReadonlyMap<string, ResponsePlan>, callType: string, priority?: number): ResponsePlan {
  const own = plans.get(callType);
  if (!own) return { callType, ...FALLBACK_PLAN };
  const variant = (p: number) => own.variants?.find((v) => v.priority === p);
  const chosen = priority === undefined ? undefined : (variant(priority) ?? (priority === 3 ? variant(2) : undefined));
  return chosen ? { ...chosen, callType } : own;
}

/**
 * The plan's key as the API and the audit trail name it: `"Medical Incident"` for a type's own plan,
 * `"Medical Incident (P2)"` for its priority-2 variant.
 */
export function planLabel(plan: Pick<ResponsePlan, 'callType' | 'priority'>): string {
  return plan.priority ? `${plan.callType} (P${plan.priority})` : plan.callType;
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

