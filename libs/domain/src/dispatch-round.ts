/**
 * Dispatch rounds: which waiting incidents one round solves together, and in which class.
 *
 * A round takes every incident of one world waiting for units and solves them at once against every
 * free unit of that world. The order is by priority class with ageing: an incident's class drops one
 * step for every `ageingSeconds` it has waited, so a long surge of urgent calls cannot starve a
 * non-emergency call forever, while an emergency (P1) is never passed by an aged call. Ageing is the
 * classic remedy for starvation in priority scheduling (Silberschatz, Galvin & Gagne, "Operating System
 * Concepts", 10th ed., section 5.3.3 "Priority Scheduling": "aging involves gradually increasing the
 * priority of processes that wait in the system for a long time").
 *
 * Classes are integers, lower served first: a P1 is class 2; a P2 is class 4 and a P3 class 6 while
 * fresh; each ageing step takes one off, down to class 3 (after every P1, ahead of fresh P2s). So with
 * the default 600 s step a P3 that waited 10 min is served before fresh P3s (class 5), after 20 min with
 * the P2s (class 4), after 30 min before every P2 (class 3). A round is bounded by a count of incidents,
 * not by time, so a drill replayed twice solves the same rounds and writes the same event log.
 */

/**
 * The class of calls that have aged as far as they go (after every P1, ahead of every fresh P2): served
 * strictly longest-waiting first, one at a time (`solveDispatchRound`), so they cannot keep losing to
 * each other on travel time either.
 */
export const AGED_CLASS = 3;

/** An incident waiting for units, as a round sees it. */
export interface RoundCandidate {
  id: string;
  /** 1 = emergency, 2 = urgent, 3 = non-emergency (see `Priority`); any other value is treated as 3. */
  priority: number;
  /** When it started waiting for units (call received, or sent back to waiting), epoch milliseconds. */
  waitingSinceMs: number;
}

/** How rounds are planned. */
export interface RoundPolicy {
  /** Most incidents one round solves (the most pressing first); the rest wait for the next round. */
  maxIncidents: number;
  /** Seconds of waiting per class step (default 600 s); `Infinity` turns ageing off. */
  ageingSeconds: number;
}

/** The default round: up to 200 incidents, one class step per 10 minutes of waiting. */
export const DEFAULT_ROUND_POLICY: RoundPolicy = { maxIncidents: 200, ageingSeconds: 600 };

/** An incident chosen for a round, with the class it is solved in. */
export interface RoundIncident {
  id: string;
  priority: number;
  /** Class the round solves it in (lower first): see {@link roundClass}. */
  roundClass: number;
  /** Seconds it has waited at the round's time (0 when its waiting time lies in the future). */
  waitedSeconds: number;
}

/** The incidents a round solves, most pressing first, and the ids left for the next round. */
export interface RoundPlan {
  incidents: RoundIncident[];
  deferred: string[];
}

/**
 * The class an incident is solved in: `2` for a P1; `2 x priority - floor(waited / ageingSeconds)` for
 * P2 and P3, never below 3 (an aged call never passes an emergency).
 * @param priority 1, 2 or 3 (anything else counts as 3)
 * @param waitedSeconds seconds waited so far (negative counts as 0)
 * @param ageingSeconds seconds per class step, > 0 (`Infinity`: no ageing)
 * @throws RangeError when `ageingSeconds` is not positive
 */
export function roundClass(priority: number, waitedSeconds: number, ageingSeconds: number): number {
  if (!(ageingSeconds > 0)) throw new RangeError(`ageingSeconds must be > 0 (got ${ageingSeconds})`);
  const p = priority === 1 || priority === 2 ? priority : 3;
  if (p === 1) return 2;
  const steps = Number.isFinite(ageingSeconds) ? Math.floor(Math.max(0, waitedSeconds) / ageingSeconds) : 0;
  return Math.max(3, 2 * p - steps);
}

/**
 * Plans one dispatch round: every waiting incident gets its {@link roundClass} at `nowMs`; they are
 * ordered by class, then by priority (except in {@link AGED_CLASS}, which is first come first served),
 * then longest waiting, then id (so the order is total and the same input always gives the same
 * round); the first `maxIncidents` are solved, the rest deferred.
 * @param nowMs the round's time, epoch milliseconds (simulated time in a drill)
 * @throws RangeError when `maxIncidents` < 1 or `ageingSeconds` is not positive, or on a duplicate id
 */
export function planRound(waiting: readonly RoundCandidate[], nowMs: number, policy: RoundPolicy = DEFAULT_ROUND_POLICY): RoundPlan {
  if (!(policy.maxIncidents >= 1)) throw new RangeError(`maxIncidents must be >= 1 (got ${policy.maxIncidents})`);
  const seen = new Set<string>();
  for (const w of waiting) {
    if (seen.has(w.id)) throw new RangeError(`incident ${w.id} listed twice in one round`);
    seen.add(w.id);
  }
  const ranked = waiting
    .map((w) => {
      const waitedSeconds = Math.max(0, (nowMs - w.waitingSinceMs) / 1000);
      return { w, inc: { id: w.id, priority: w.priority, roundClass: roundClass(w.priority, waitedSeconds, policy.ageingSeconds), waitedSeconds } };
    })
    .sort(
      (a, b) =>
        a.inc.roundClass - b.inc.roundClass ||
        (a.inc.roundClass === AGED_CLASS ? 0 : a.w.priority - b.w.priority) ||
        a.w.waitingSinceMs - b.w.waitingSinceMs ||
        (a.w.id < b.w.id ? -1 : a.w.id > b.w.id ? 1 : 0),
    );
  return {
    incidents: ranked.slice(0, policy.maxIncidents).map((r) => r.inc),
    deferred: ranked.slice(policy.maxIncidents).map((r) => r.inc.id),
  };
}
