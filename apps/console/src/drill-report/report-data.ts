/**
 * What the report page draws, from `GET /api/drills/:id/report.json` (apps/api/src/drill/report.ts):
 * the p90 of each response interval, simulated and historical, against its NFPA target; and the hours.
 */

import { REPORT_INTERVALS, type DrillReportView, type ReportInterval } from '@cad/contracts/drill-report';

/** The six response intervals, in the report's order (call processing … total response). */
export const REPORT_METRICS = REPORT_INTERVALS;
export type ReportMetric = ReportInterval;

/** The report JSON the page reads (`DrillReportView` of `@cad/contracts`). */
export type ReportJson = DrillReportView;

/** One bar group of the p90 chart: seconds, null where the interval has no sample. */
export interface P90Row {
  metric: ReportMetric;
  sim: number | null;
  hist: number | null;
  target: number;
}

/** The p90 chart's rows, one per interval, in the report's order. */
export function p90Rows(r: ReportJson): P90Row[] {
  return REPORT_METRICS.map((metric) => ({ metric, sim: r.overall[metric]?.sim.p90 ?? null, hist: r.overall[metric]?.hist.p90 ?? null, target: r.targets[metric].seconds }));
}

/**
 * The hour chart's x labels: the report's hours (`YYYY-MM-DD HH:00`, city time) as `HH:00` when the run
 * spans one day, else `MM-DD HH:00`; a label of another shape is kept as it is.
 */
export function hourLabels(rows: readonly { hour: string }[]): string[] {
  const day = (h: string) => /^(\d{4}-\d{2}-\d{2})[ T]/.exec(h)?.[1];
  const days = new Set(rows.map((r) => day(r.hour)));
  return rows.map((r) => {
    const m = /^\d{4}-(\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(r.hour);
    if (!m) return r.hour;
    return days.size === 1 ? m[2] : `${m[1]} ${m[2]}`;
  });
}
