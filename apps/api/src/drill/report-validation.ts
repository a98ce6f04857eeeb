/** The after-action report's comparisons: simulated against historical (validation), run against run, policy against policy. */
import type { ReportPolicyRowView, ReportValidationRowView } from '@cad/contracts';
import { allocationFigures, type AllocationFigures } from './late-arrivals';
import type { DrillReport } from './report';
import { type Dist, type GroupStats, type Metric, METRICS, round } from './report-intervals';

/** One policy's run in a policy comparison, with its figures over those of the first run (`nearest`). */
export interface PolicyRow extends AllocationFigures, ReportPolicyRowView {}

/** Move-ups a run carried out, from its view's tally (null under nearest/optimised: none made; absent from older runs). */
function moveUpsMade(run: Record<string, unknown>): number | null {
  if (!('moveUps' in run)) return null;
  const tally = run.moveUps as { done?: unknown } | null;
  return tally === null ? 0 : typeof tally.done === 'number' ? tally.done : null;
}

/** Policy rows from runs' reports of the same calls, ratios over the first. */
export function policyRows(reports: readonly DrillReport[]): PolicyRow[] {
  const figs = reports.map((r) => r.allocation ?? allocationFigures([]));
  const base = figs[0];
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 3) : null);
  return reports.map((r, k) => ({
    id: String(r.run.id),
    policy: String(r.run.policy),
    ...figs[k],
    lateShareRatio: ratio(figs[k].lateShare, base?.lateShare ?? null),
    meanResponseRatio: ratio(figs[k].meanResponseS, base?.meanResponseS ?? null),
    moveUpsMade: moveUpsMade(r.run),
  }));
}

/** One interval of the validation section: simulated and historical p50/p90 (seconds) and their ratios (sim / hist). */
export type ValidationRow = ReportValidationRowView;

/**
 * The validation section (issue 20): per interval, simulated over historical p50 and p90 for the same
 * calls. It validates the simulation only under the `nearest` policy (the baseline closest to how the
 * calls were historically dispatched); `policy` says which policy this run used.
 */
export interface Validation {
  policy: string;
  /** True when the run used `nearest`, so the ratios speak to the simulation's fidelity. */
  applies: boolean;
  rows: Record<Metric, ValidationRow>;
}

/** The validation section of a report from its overall statistics. */
export function validationOf(overall: GroupStats, policy: string): Validation {
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 3) : null);
  const rows = {} as Record<Metric, ValidationRow>;
  for (const m of METRICS) {
    const { sim, hist } = overall[m];
    rows[m] = { simP50: sim.p50, histP50: hist.p50, p50Ratio: ratio(sim.p50, hist.p50), simP90: sim.p90, histP90: hist.p90, p90Ratio: ratio(sim.p90, hist.p90) };
  }
  return { policy, applies: policy === 'nearest', rows };
}

/** Two runs of the same calls side by side: p50/p90 of each metric and the difference (B − A), seconds. */
export interface Comparison {
  a: { id: string; policy: string };
  b: { id: string; policy: string };
  metrics: Record<Metric, { a: Dist; b: Dist; deltaP90: number | null }>;
}


/** Compares two reports of the same calls (e.g. policy `nearest` vs `optimised`). */
export function compareReports(a: DrillReport, b: DrillReport): Comparison {
  const metrics = {} as Comparison['metrics'];
  for (const m of METRICS) {
    const x = a.overall[m].sim;
    const y = b.overall[m].sim;
    metrics[m] = { a: x, b: y, deltaP90: x.p90 !== null && y.p90 !== null ? round(y.p90 - x.p90) : null };
  }
  return { a: { id: String(a.run.id), policy: String(a.run.policy) }, b: { id: String(b.run.id), policy: String(b.run.policy) }, metrics };
}
