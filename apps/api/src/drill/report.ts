import { DEFAULT_LOCALE } from '@cad/i18n';
import { allocationFigures, type AllocationFigures } from './late-arrivals';
import { type GroupStats, groupBy, groupStats, NFPA_TARGETS, nums, type ReportCall, round, type UnitTimes } from './report-intervals';
import { translatorFor } from './report-locale';
import { type Comparison, type PolicyRow, type Validation, validationOf } from './report-validation';

/*
 * The after-action report of a drill run, in five files along its jobs:
 * - `report-intervals.ts`: the NFPA 1710 / 1225 targets and each call's intervals and their percentiles;
 * - `report-validation.ts`: simulated against historical (validation), run against run, policy against policy;
 * - `report-locale.ts`: the reader's language and number formats;
 * - `report-html.ts`: the self-contained HTML page;
 * - this file: the report's shape and {@link buildReport}, and the one import for its readers.
 */
export { type CallIntervals, type Dist, type GroupStats, intervalsOf, isEmsUnit, type Metric, METRICS, NFPA_TARGETS, type ReportCall, type UnitTimes } from './report-intervals';
export { type Comparison, compareReports, type PolicyRow, policyRows, type Validation, type ValidationRow, validationOf } from './report-validation';
export { reportLocale } from './report-locale';
export { reportHtml } from './report-html';

/** A unit's busy share over the drill's span (dispatch to clear), simulated and historical. */
export interface Utilisation {
  unitId: string;
  unitType: string;
  simBusyS: number;
  histBusyS: number;
  simShare: number;
  histShare: number;
  simResponses: number;
  histResponses: number;
}

function utilisation(calls: ReportCall[], spanStart: number, spanEnd: number): Utilisation[] {
  const span = Math.max(1, (spanEnd - spanStart) / 1000);
  const m = new Map<string, Utilisation>();
  const add = (u: UnitTimes, which: 'sim' | 'hist') => {
    let x = m.get(u.unitId);
    if (!x) m.set(u.unitId, (x = { unitId: u.unitId, unitType: u.unitType, simBusyS: 0, histBusyS: 0, simShare: 0, histShare: 0, simResponses: 0, histResponses: 0 }));
    if (u.dispatch === null) return;
    const busy = ((u.clear ?? spanEnd) - u.dispatch) / 1000;
    if (which === 'sim') {
      x.simBusyS += Math.max(0, busy);
      x.simResponses++;
    } else {
      x.histBusyS += Math.max(0, busy);
      x.histResponses++;
    }
  };
  for (const c of calls) {
    c.sim.forEach((u) => add(u, 'sim'));
    c.hist.forEach((u) => add(u, 'hist'));
  }
  return [...m.values()]
    .map((x) => ({ ...x, simBusyS: round(x.simBusyS, 0), histBusyS: round(x.histBusyS, 0), simShare: round(x.simBusyS / span, 3), histShare: round(x.histBusyS / span, 3) }))
    .sort((a, b) => b.simShare - a.simShare || a.unitId.localeCompare(b.unitId));
}

/** Per simulated hour: calls received, escalation events, and calls that waited for a unit (coverage gaps). */
export interface HourRow {
  hour: string;
  calls: number;
  escalations: number;
  waitingForUnits: number;
}

/** Everything the after-action report shows for one run. */
export interface DrillReport {
  run: Record<string, unknown>;
  targets: typeof NFPA_TARGETS;
  overall: GroupStats;
  byType: Record<string, GroupStats>;
  byPriority: Record<string, GroupStats>;
  byDistrict: Record<string, GroupStats>;
  byStreet: Record<string, GroupStats>;
  utilisation: Utilisation[];
  timeline: HourRow[];
  /** The notes in English (the JSON report's readers). */
  notes: string[];
  /** The same notes as messages of the locale files, rendered in the reader's language by {@link reportHtml}. */
  noteMessages?: ReportNote[];
  comparison?: Comparison;
  /** Does the drill reproduce history? Simulated over historical p50 and p90 of each interval, same calls. */
  validation: Validation;
  /** The allocation's figures: late-arrival share of P1 calls, mean and p90 response (issue 20 part 4). */
  allocation?: AllocationFigures;
  /** Runs of the same calls under each policy, side by side (`--compare-policy`). */
  policies?: PolicyRow[];
}

/** A note of the report: a message key of the locale files (`report.note.*`) and its values. */
export interface ReportNote {
  key: string;
  values: Record<string, string | number>;
}

/**
 * Builds the after-action report of a run from its calls.
 * @param escalations simulated instants (ms) of escalation events
 * @param zoneHour formats an instant as the local hour label (`2017-01-01 14:00`)
 */
export function buildReport(
  run: Record<string, unknown>,
  calls: ReportCall[],
  escalations: number[],
  zoneHour: (ms: number) => string,
  notes: ReportNote[],
): DrillReport {
  const english = translatorFor(DEFAULT_LOCALE);
  const start = Math.min(...calls.map((c) => c.received));
  const end = Math.max(...calls.flatMap((c) => [c.received, ...nums(c.sim.map((u) => u.clear))]));
  const hours = new Map<string, HourRow>();
  const row = (ms: number) => {
    const h = zoneHour(ms);
    return hours.get(h) ?? hours.set(h, { hour: h, calls: 0, escalations: 0, waitingForUnits: 0 }).get(h)!;
  };
  for (const c of calls) {
    const r = row(c.received);
    r.calls++;
    const first = Math.min(...nums(c.sim.map((u) => u.dispatch)));
    if (!Number.isFinite(first) || first - c.received > 1000) r.waitingForUnits++;
  }
  for (const e of escalations) row(e).escalations++;
  const overall = groupStats(calls);
  return {
    run,
    targets: NFPA_TARGETS,
    overall,
    validation: validationOf(overall, String(run.policy)),
    allocation: allocationFigures(calls),
    byType: groupBy(calls, (c) => c.type),
    byPriority: groupBy(calls, (c) => `P${c.priority}`),
    byDistrict: groupBy(calls, (c) => c.district),
    byStreet: groupBy(calls, (c) => c.street),
    utilisation: utilisation(calls, start, end),
    timeline: [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour)),
    notes: notes.map((n) => english.t(n.key, n.values)),
    noteMessages: notes,
  };
}

