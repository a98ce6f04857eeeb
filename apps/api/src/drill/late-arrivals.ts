import { REPORT_LATE_CAUSES, type ReportAllocationView, type ReportLateCausesView } from '@cad/contracts';
import { capabilitiesOf, quantile } from '@cad/domain';
import type { ReportCall, UnitTimes } from './report-intervals';

/**
 * Late arrivals (issue 20 part 4), as Jagtenberg, van den Berg and van der Mei count them ("Benchmarking
 * online dispatch algorithms for Emergency Medical Services", EJOR 258 (2017) 715–725: the fraction of
 * calls whose response exceeds the target), with the NFPA 1710 (2020) §4.1.2.1 targets: a P1 call is
 * late when its first engine arrives more than 240 s after it could be dispatched, or, when its response
 * plan includes ALS, its first ALS unit more than 480 s after. A P1 call no such unit reached at all is
 * late. Calls of other priorities are not counted.
 *
 * The clock of one unit runs from when the call reached dispatch (received + call processing: the
 * drill posts it then) to the unit on scene, less the unit's own turnout: the wait for a free unit plus
 * its travel. NFPA 1710's 240 s and 480 s are travel targets; call processing is drawn the same for
 * every policy and turnout is the crew's, so neither says anything about the allocation; waiting for a
 * unit does, and is counted.
 */
export const LATE_TARGETS = {
  engineSeconds: 240,
  alsSeconds: 480,
  source: 'NFPA 1710 (2020) 4.1.2.1: first engine travel 240 s, ALS 480 s; late arrivals counted as in Jagtenberg et al. (2017)',
} as const;

/** One call as the late-arrival count needs it: priority, when it reached dispatch, its plan's capabilities, its simulated units. */
export type LateCall = Pick<ReportCall, 'priority' | 'received' | 'sim' | 'linked'> & {
  /** When the call reached dispatch (received + simulated call processing), ms since the epoch; default `received`. */
  posted?: number;
  /** The capabilities of its response plan (one per slot); default: an engine only. */
  plan?: readonly string[];
};

/** Wait for a unit plus its travel, seconds (see {@link LATE_TARGETS}); null when it never got on scene. */
export function waitPlusTravelS(posted: number, u: UnitTimes): number | null {
  if (u.onScene === null || u.dispatch === null) return null;
  const turnout = u.enRoute !== null ? Math.max(0, u.enRoute - u.dispatch) : 0;
  return (u.onScene - posted - turnout) / 1000;
}

const hasCapability = (u: UnitTimes, cap: string) => {
  try {
    return capabilitiesOf(u.unitType).includes(cap as never);
  } catch {
    return false;
  }
};

/** Why a late call was late (see `ReportLateCausesView`). */
export type LateCause = keyof ReportLateCausesView;

/** The causes in the order a report shows them: what a policy can change first. */
export const LATE_CAUSES: readonly LateCause[] = REPORT_LATE_CAUSES;

/** A unit dispatched more than this after the call reached dispatch waited for a unit to free up, seconds. */
export const WAITED_AFTER_S = 1;

/**
 * Whether a call counts, and is late (see {@link LATE_TARGETS}), and if late, why: judged on the first
 * kind of unit it missed (engine, then ALS) and that kind's unit that arrived first. In order: no such
 * unit arrived (`neverReached`); it was dispatched more than {@link WAITED_AFTER_S} after the call
 * reached dispatch (`waitedForUnit`); its travel was drawn from history (an ambulance:
 * `ambulanceTravelDrawn`); the travel model's median from where it set off was over the target
 * (`farFromUnit`); else the draw of the data's spread put it over (`travelSpread`). A P1 call whose
 * plan names neither an engine nor ALS is held to the engine target by its first unit of any kind. A
 * call linked to an incident another call opened (a second caller) is not counted: late arrivals count
 * incidents, and its incident is counted by the call that opened it.
 * @returns `counted` false for calls other than P1 and linked calls; `cause` null unless late
 */
export function lateArrivalOf(c: LateCall): { counted: boolean; late: boolean; cause: LateCause | null } {
  if (c.priority !== 1 || c.linked) return { counted: false, late: false, cause: null };
  const posted = c.posted ?? c.received;
  const plan = c.plan ?? ['engine'];
  /** The cause when the kind's first unit misses `target`, else null. */
  const miss = (pick: (u: UnitTimes) => boolean, target: number): LateCause | null => {
    let best: UnitTimes | null = null;
    let bestS = Infinity;
    for (const u of c.sim.filter(pick)) {
      const x = waitPlusTravelS(posted, u);
      if (x !== null && x < bestS) [best, bestS] = [u, x];
    }
    if (bestS <= target) return null;
    if (!best) return 'neverReached';
    if (best.dispatch! - posted > WAITED_AFTER_S * 1000) return 'waitedForUnit';
    if (best.travelDrawn) return 'ambulanceTravelDrawn';
    if (best.medianTravelS !== undefined && best.medianTravelS !== null && best.medianTravelS > target) return 'farFromUnit';
    return 'travelSpread';
  };
  const needsEngine = plan.includes('engine');
  const needsAls = plan.includes('als');
  const cause =
    (needsEngine ? miss((u) => hasCapability(u, 'engine'), LATE_TARGETS.engineSeconds) : null) ??
    (needsAls ? miss((u) => hasCapability(u, 'als'), LATE_TARGETS.alsSeconds) : null) ??
    (!needsEngine && !needsAls ? miss(() => true, LATE_TARGETS.engineSeconds) : null);
  return { counted: true, late: cause !== null, cause };
}

/** A run's allocation figures: the late-arrival share of its P1 calls, and its mean and p90 response. */
export interface AllocationFigures extends ReportAllocationView {
  targets: typeof LATE_TARGETS;
}

/** The allocation figures of a run's calls (see {@link lateArrivalOf}; response = received to first on scene), with the late calls' causes. */
export function allocationFigures(calls: readonly LateCall[]): AllocationFigures {
  let p1 = 0;
  let late = 0;
  const lateCauses: ReportLateCausesView = { neverReached: 0, waitedForUnit: 0, farFromUnit: 0, travelSpread: 0, ambulanceTravelDrawn: 0 };
  const response: number[] = [];
  for (const c of calls) {
    const r = lateArrivalOf(c);
    if (r.counted) p1++;
    if (r.late) late++;
    if (r.cause) lateCauses[r.cause]++;
    const on = c.sim.map((u) => u.onScene).filter((x): x is number => x !== null);
    if (on.length) response.push((Math.min(...on) - c.received) / 1000);
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    p1Calls: p1,
    lateCalls: late,
    lateShare: p1 ? Math.round((late / p1) * 10_000) / 10_000 : null,
    responded: response.length,
    meanResponseS: response.length ? r1(response.reduce((a, b) => a + b, 0) / response.length) : null,
    p90ResponseS: response.length ? r1(quantile(response, 0.9)) : null,
    lateCauses,
    targets: LATE_TARGETS,
  };
}
