import { Capability, primaryCapability } from '@cad/domain';
import type { ScenarioCall } from '@cad/db';
import { MAX_FIRST_ALARM_UNITS } from '../calls/calls.service';

/**
 * Units dispatched within this many seconds of a call's first dispatch make its historical first alarm.
 * On the SF week (north strip) 2,745 of 3,073 unit dispatches were at the call's first dispatch second
 * and 2 more within 5 s; the next ones come 6–60 s (15 + 47) and minutes later: units added by the
 * dispatcher or asked for from the scene, which a drill's dispatch adds in its own way (second alarm).
 */
export const FIRST_ALARM_WINDOW_S = 5;

/** How a drill chooses each incident's first alarm (see {@link historicalFirstAlarm}). */
export const DRILL_PLAN_SOURCES = ['history', 'city'] as const;
export type DrillPlanSource = (typeof DRILL_PLAN_SOURCES)[number];

/**
 * The first alarm history sent to a call: its units dispatched within {@link FIRST_ALARM_WINDOW_S} of
 * its first dispatch, counted per primary capability (`ENGINE` → engine, `MEDIC` and `PRIVATE` → ambulance,
 * `CHIEF` → chief, ...: as the city's plans are derived; a type the built-in list does not know is left out).
 *
 * Why (issue 20): SFFD's choice of units is not a function of call type and priority alone. On the week,
 * 203 of the strip's 537 priority 2 `Medical Incident` calls got an engine in their first alarm and 322
 * an ambulance alone, in every `Call Type Group` and `ALS Unit` value (32–48 % got an engine in each), so no
 * plan per type and priority can send what history sent. A drill that replays a day with the city's
 * plans sends an ambulance alone to all of them, and its first-unit travel p90 was 1.14 of history's on
 * the same calls; one that replays each call's own first alarm compares like with like. The policy
 * still chooses *which* units fill it (nearest, optimised, move-ups).
 * At most {@link MAX_FIRST_ALARM_UNITS} of a capability (what a call may ask for).
 * @returns units per capability, or null when the data has no dispatched unit of a known type for the call
 */
export function historicalFirstAlarm(call: Pick<ScenarioCall, 'units'>): Partial<Record<Capability, number>> | null {
  const times = call.units.map((u) => u.dispatch?.getTime()).filter((t): t is number => t !== undefined && Number.isFinite(t));
  if (!times.length) return null;
  const first = Math.min(...times);
  const out: Partial<Record<Capability, number>> = {};
  for (const u of call.units) {
    if (!u.dispatch || u.dispatch.getTime() - first > FIRST_ALARM_WINDOW_S * 1000) continue;
    let cap: Capability;
    try {
      cap = primaryCapability(u.unitType);
    } catch {
      continue;
    }
    // Never more than a call may ask for (`MAX_FIRST_ALARM_UNITS`): a bigger historical call is sent that many, never refused.
    out[cap] = Math.min(MAX_FIRST_ALARM_UNITS, (out[cap] ?? 0) + 1);
  }
  return Object.keys(out).length ? out : null;
}

/** Whether history's first alarm for a call held an engine or a truck (see `CrewModel.postedTravel`). */
export function firstAlarmHadFireUnit(call: Pick<ScenarioCall, 'units'>): boolean {
  const a = historicalFirstAlarm(call);
  return !!a && ((a.engine ?? 0) > 0 || (a.truck ?? 0) > 0);
}
