/**
 * The after-action report of a drill run as `GET /api/drills/:id/report.json` answers it (built by
 * `apps/api/src/drill/report.ts`), in the parts the console's report page reads. Times are seconds;
 * shares are 0..1; a figure with no sample is null. Reports recorded before a section existed lack it,
 * so `validation`, `allocation` and `policies` are optional.
 */

/** The six response intervals, in the report's order (NFPA 1225 call processing; NFPA 1710 turnout and travel; total). */
export const REPORT_INTERVALS = ['callProcessing', 'turnoutEms', 'turnoutFire', 'travelFirstUnit', 'travelFullAlarm', 'totalResponse'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** One interval's distribution over a group of calls: samples, p50 and p90 (seconds), and the share within its NFPA target. */
export interface ReportDistView {
  n: number;
  p50: number | null;
  p90: number | null;
  withinTarget: number | null;
}

/** Simulated and historical p50/p90 of one interval (seconds) and their ratios, simulated ÷ historical. */
export interface ReportValidationRowView {
  simP50: number | null;
  histP50: number | null;
  p50Ratio: number | null;
  simP90: number | null;
  histP90: number | null;
  p90Ratio: number | null;
}

/** A run's allocation figures (issue 20 part 4): late arrivals of its P1 calls (NFPA 1710 travel targets), mean and p90 response. */
export interface ReportAllocationView {
  /** P1 calls counted, and those late. */
  p1Calls: number;
  lateCalls: number;
  /** lateCalls / p1Calls (null without P1 calls). */
  lateShare: number | null;
  /** Calls (any priority) some unit reached: received to first unit on scene, seconds. */
  responded: number;
  meanResponseS: number | null;
  p90ResponseS: number | null;
  /** Why the late calls were late, each counted once (absent in reports made before it was counted). */
  lateCauses?: ReportLateCausesView;
}

/** The late causes in the order reports show them: what a policy can change first (`ReportLateCausesView`). */
export const REPORT_LATE_CAUSES = ['waitedForUnit', 'farFromUnit', 'travelSpread', 'ambulanceTravelDrawn', 'neverReached'] as const;

/**
 * Why late P1 calls were late, each counted once by the first kind of unit it missed (engine, then ALS),
 * judged on that kind's first unit to arrive. `waitedForUnit` and `farFromUnit` are what an allocation
 * or move-up policy can change; `travelSpread` and `ambulanceTravelDrawn` are the luck of the drawn travel.
 */
export interface ReportLateCausesView {
  /** No unit of the needed kind ever arrived. */
  neverReached: number;
  /** The unit was dispatched after the call reached dispatch: none was free (or a round held the call). */
  waitedForUnit: number;
  /** Dispatched at once, but from farther than the target by the travel model's median travel. */
  farFromUnit: number;
  /** The median travel was within the target; the travel drawn (the data's own spread) was not. */
  travelSpread: number;
  /** An ambulance whose travel is drawn from history (the data has no ambulance origins): no policy moves it. */
  ambulanceTravelDrawn: number;
}

/** One run of the same calls under a policy: its allocation figures, move-ups made, and ratios over the first run's. */
export interface ReportPolicyRowView extends ReportAllocationView {
  id: string;
  policy: string;
  /** lateShare and meanResponseS over the first row's (null when it has none). */
  lateShareRatio: number | null;
  meanResponseRatio: number | null;
  /** Move-ups the run carried out (units that reached their new station); 0 under a policy without move-ups, null when the run does not say. */
  moveUpsMade: number | null;
}

/** The report JSON as the console reads it. */
export interface DrillReportView {
  /** The run's view (id, day, toDay, policy, state, calls, ...), as recorded. */
  run: Record<string, unknown>;
  /** Target per interval, seconds at the 90th percentile, with its source (NFPA 1225 / NFPA 1710). */
  targets: Record<ReportInterval, { seconds: number; source: string }>;
  overall: { calls: number } & Record<ReportInterval, { sim: ReportDistView; hist: ReportDistView }>;
  timeline: { hour: string; calls: number; escalations: number; waitingForUnits: number }[];
  /** Does the drill reproduce history: simulated over historical p50/p90 per interval, same calls. */
  validation?: { policy: string; applies: boolean; rows: Record<ReportInterval, ReportValidationRowView> };
  /** Runs of the same calls under each policy, side by side (`?policies=`), first row the run asked for. */
  policies?: ReportPolicyRowView[];
}
