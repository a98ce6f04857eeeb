import { AGED_CLASS, type RoundIncident } from '@cad/domain';
import { allocateIncidents, AllocationUnit, AssignedSlot, TierScope, TravelSeconds, UnfilledSlot } from './allocate-incidents';

/** An incident of a planned round (`planRound` in `@cad/domain`) with the plan slots it still needs. */
export interface RoundProblemIncident extends RoundIncident {
  /** Unfilled capabilities, one entry per unit needed. */
  slots: readonly string[];
  /** Commanding tier first, then the wider tiers it may borrow from (see `AllocationIncident.scopes`). */
  scopes?: readonly TierScope[];
}

/** What one round decided for one incident: units sent, or waiting with a reason. */
export interface RoundDecision {
  incidentId: string;
  priority: number;
  roundClass: number;
  assigned: AssignedSlot[];
  unfilled: UnfilledSlot[];
  /** `sent`: every slot filled; `partly`: some units sent, some slots wait; `waiting`: nothing sent. */
  outcome: 'sent' | 'partly' | 'waiting';
  /** For `partly` and `waiting`: why each empty slot waits, one clause per slot (empty when `sent`). */
  reason: string;
}

/**
 * Solves one dispatch round: every incident of the round against every free unit of its world at once,
 * class by class (lower `roundClass` first: priority with ageing, see `roundClass`; the aged class one
 * incident at a time, longest waiting first), each class one minimum-cost assignment of road ETAs within the commanding tier's scope, widening to the tiers above
 * for slots left empty (`allocateIncidents`). Pure and deterministic: the same round (same order) gives
 * the same decisions.
 * @param incidents the round's incidents, most pressing first (as `planRound` answers them)
 * @param units free units of the round's world (a unit with `assignedTo` is never taken)
 * @param travel road travel time, seconds, unit to incident (Infinity when unreachable)
 * @returns one decision per incident, in the input order
 * @throws RangeError on duplicate incident or unit ids (from `allocateIncidents`)
 */
export function solveDispatchRound(incidents: readonly RoundProblemIncident[], units: readonly AllocationUnit[], travel: TravelSeconds): RoundDecision[] {
  // Classes below the aged one as they are; each aged incident its own class in round order
  // (longest waiting first); the fresher classes after them.
  const aged = incidents.filter((i) => i.roundClass === AGED_CLASS).length;
  let nextAged = AGED_CLASS;
  const solveClass = incidents.map((i) => (i.roundClass < AGED_CLASS ? i.roundClass : i.roundClass === AGED_CLASS ? nextAged++ : i.roundClass + aged));
  const solved = allocateIncidents(
    incidents.map((i, k) => ({ id: i.id, priority: solveClass[k], slots: i.slots, scopes: i.scopes })),
    units,
    travel,
  );
  return incidents.map((inc, k) => {
    const r = solved.incidents[k];
    const outcome = r.unfilled.length === 0 ? 'sent' : r.assigned.length ? 'partly' : 'waiting';
    return {
      incidentId: inc.id,
      priority: inc.priority,
      roundClass: inc.roundClass,
      assigned: r.assigned,
      unfilled: r.unfilled,
      outcome,
      reason: r.unfilled.map((u) => `${u.capability}: ${u.text}`).join('; '),
    };
  });
}
