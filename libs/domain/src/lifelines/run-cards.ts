import type { ResponsePlan } from '../response-plan';
import type { Capability } from '../units';

/** Incident type of a suspected water main leak raised by the leak detectors. */
export const WATER_LEAK_TYPE = 'Water main leak suspected';
/** Incident type of a gas network pressure alarm. */
export const GAS_ALARM_TYPE = 'Gas pressure drop';

/** Who answers each lifeline alarm (issue 22): the crews, and what is sent when the fleet has none of a crew. */
const LIFELINE_CREWS: Record<string, { crews: Capability[]; always: Partial<Record<Capability, number>> }> = {
  // A water utility crew finds and shuts the main; with none in the fleet, an engine goes to look.
  [WATER_LEAK_TYPE]: { crews: ['water_crew'], always: {} },
  // Gas: a fire engine always (ignition risk), the gas utility crew to isolate the main, a police cordon.
  [GAS_ALARM_TYPE]: { crews: ['gas_crew', 'police'], always: { engine: 1 } },
};

/**
 * The run cards of the lifeline alarm types (`Water main leak suspected`, `Gas pressure drop`) for a
 * fleet: the city's own plan for the type when it has one (else, for water, nothing but the crew; for
 * gas, one engine), with one slot added for each lifeline crew (`water_crew`; `gas_crew` and `police`)
 * that the fleet has a dispatchable unit of and the plan does not already ask for. A crew the fleet
 * lacks is never asked for (its slot could never be filled, and the incident would wait on it); a
 * card left with no slot at all sends one engine. Commanded at street tier unless the city's plan says otherwise.
 * @param plans the city's plans by call type (derived or written)
 * @param fleet the capabilities of the city's dispatchable units
 * @returns one plan per lifeline alarm type
 */
export function lifelineRunCards(plans: ReadonlyMap<string, ResponsePlan>, fleet: ReadonlySet<Capability>): ResponsePlan[] {
  return Object.entries(LIFELINE_CREWS).map(([callType, rule]) => {
    const own = plans.get(callType);
    const slots: Partial<Record<Capability, number>> = { ...(own?.slots ?? rule.always) };
    for (const crew of rule.crews) if (fleet.has(crew) && !slots[crew]) slots[crew] = 1;
    if (!Object.values(slots).some((n) => (n ?? 0) > 0)) slots.engine = 1;
    return {
      callType,
      slots,
      commandingTier: own?.commandingTier ?? 'street',
      derivedFrom: own?.derivedFrom ?? 0,
      ...(own?.alarms ? { alarms: [{ ...own.alarms[0], slots }, ...own.alarms.slice(1)] } : {}),
    };
  });
}
