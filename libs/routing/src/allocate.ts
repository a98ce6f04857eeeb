/** A unit that may be chosen, with its road travel time to the incident. */
export interface Candidate {
  unitId: string;
  capabilities: readonly string[];
  /** Road travel time to the incident, seconds; Infinity when unreachable. */
  etaSeconds: number;
}

/** The unit chosen for one plan slot, with why, and the best unit not chosen for it. */
export interface SlotChoice {
  capability: string;
  unitId: string;
  etaSeconds: number;
  reason: string;
  runnerUp: { unitId: string; etaSeconds: number } | null;
}

/** Result of filling one incident's plan. */
export interface PlanFill {
  chosen: SlotChoice[];
  /** Capabilities of slots no reachable unit could fill. */
  unfilled: string[];
}

/**
 * Fills the slots of one incident's response plan with the nearest capable units by road travel
 * time (first version: one incident at a time, slots in plan order, each slot takes the capable
 * unit with the lowest ETA not already chosen; ties broken by unit id for determinism). Unreachable
 * units (ETA Infinity) are never chosen.
 * @param slots capabilities needed, one entry per unit, in the order to fill them
 * @param candidates available units with ETAs in seconds
 */
export function fillPlanNearest(slots: readonly string[], candidates: readonly Candidate[]): PlanFill {
  const sorted = candidates
    .filter((c) => Number.isFinite(c.etaSeconds))
    .sort((a, b) => a.etaSeconds - b.etaSeconds || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  const taken = new Set<string>();
  const chosen: SlotChoice[] = [];
  const unfilled: string[] = [];
  for (const cap of slots) {
    const capable = sorted.filter((c) => !taken.has(c.unitId) && c.capabilities.includes(cap));
    const best = capable[0];
    if (!best) {
      unfilled.push(cap);
      continue;
    }
    taken.add(best.unitId);
    const next = capable[1];
    chosen.push({
      capability: cap,
      unitId: best.unitId,
      etaSeconds: best.etaSeconds,
      reason: `nearest available ${cap} by road travel time (${Math.round(best.etaSeconds)} s)`,
      runnerUp: next ? { unitId: next.unitId, etaSeconds: next.etaSeconds } : null,
    });
  }
  return { chosen, unfilled };
}
