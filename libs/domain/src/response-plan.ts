import { Capability, primaryCapability } from './units';

/** Command tiers of the chain, from the one that executes to the one that coordinates. */
export type Tier = 'street' | 'district' | 'city';

/**
 * A response plan (run card): how many units of each capability an incident type needs, and which
 * tier commands it.
 */
export interface ResponsePlan {
  /** Call type, as in the SFFD `Call Type` column (`"Structure Fire"`). */
  callType: string;
  /** Units needed per primary capability, e.g. `{ engine: 2, truck: 1, chief: 1 }`. */
  slots: Partial<Record<Capability, number>>;
  /** Tier that commands an incident of this type. */
  commandingTier: Tier;
  /** Number of historical incidents the plan was derived from (0 for the fallback plan). */
  derivedFrom: number;
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
};

/**
 * Derives a response plan per call type from what was actually sent: for each call type, the number
 * of units of each primary capability per incident is counted, and the plan takes the median of
 * those counts over the incidents of that type (rounded half up), keeping capabilities whose median
 * is at least one. A type whose medians are all zero (mixed responses) gets one unit of its most
 * frequently sent capability. Every plan is commanded at street level in this first version.
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
    let mostSent: Capability | null = null;
    let mostSentTotal = -1;
    for (const cap of caps) {
      const perIncident = [...incidents.values()].map((c) => c.get(cap) ?? 0);
      const med = median(perIncident);
      if (Math.floor(med + 0.5) >= 1) slots[cap] = Math.floor(med + 0.5);
      const total = perIncident.reduce((a, b) => a + b, 0);
      if (total > mostSentTotal) {
        mostSentTotal = total;
        mostSent = cap;
      }
    }
    if (Object.keys(slots).length === 0 && mostSent) slots[mostSent] = 1;
    plans.set(callType, { callType, slots, commandingTier: 'street', derivedFrom: incidents.size });
  }
  return plans;
}

/**
 * The plan for a call type, or the fallback plan (one engine) when none is known.
 * @param plans plans keyed by call type, as from {@link derivePlans}
 */
export function planFor(plans: ReadonlyMap<string, ResponsePlan>, callType: string): ResponsePlan {
  return plans.get(callType) ?? { callType, ...FALLBACK_PLAN };
}

/** Expands a plan into one slot per unit needed, ordered engine first, as units are dispatched. */
export function planSlots(plan: ResponsePlan): Capability[] {
  const order: Capability[] = ['engine', 'ambulance', 'als', 'truck', 'rescue', 'chief', 'rescue_captain', 'support'];
  const out: Capability[] = [];
  for (const cap of order) for (let i = 0; i < (plan.slots[cap] ?? 0); i++) out.push(cap);
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
