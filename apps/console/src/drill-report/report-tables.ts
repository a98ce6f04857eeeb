/**
 * The report page's tables (issue 26 part 7), from the report JSON (`DrillReportView`): the NFPA 1710 /
 * NFPA 1225 intervals, simulated against historical (the validation section), and the per-policy
 * comparison of runs of the same calls. Every label is a message of the locale files; a figure the
 * report lacks is shown as `—`, and a section the drill has no data for as one "not available" line.
 */
import { REPORT_LATE_CAUSES, type ReportValidationRowView } from '@cad/contracts/drill-report';
import { esc } from '../format';
import { locale, t } from '../i18n';
import { REPORT_METRICS, type ReportJson, type ReportMetric } from './report-data';

/** A number of the report, or null when absent, not a number, or not finite (recorded reports may lack a field). */
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const dash = '—';
const format = (x: unknown, opts: Intl.NumberFormatOptions): string => {
  const v = num(x);
  return v === null ? dash : new Intl.NumberFormat(locale(), opts).format(v);
};
/** Seconds or a count: whole, grouped by the locale. */
const whole = (x: unknown) => format(x, { maximumFractionDigits: 0 });
/** A share 0..1 as a percentage. */
const share = (x: unknown) => format(x, { style: 'percent', maximumFractionDigits: 0 });
/** A ratio with two decimals (`1.00` = equal). */
const ratio = (x: unknown) => format(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A policy's name in the locale shown (never its code unless no message names it). */
const policyName = (p: unknown) => t(`report.policy.${String(p)}`, { defaultValue: String(p ?? dash) });

/** One interval of the validation table: seconds, shares 0..1 and ratios (simulated ÷ historical); null where unknown. */
export interface IntervalRow extends ReportValidationRowView {
  metric: ReportMetric;
  target: number | null;
  simWithin: number | null;
  histWithin: number | null;
  histN: number;
}

/** The validation table's rows, one per interval in the report's order; ratios from the report's validation section. */
export function intervalRows(r: ReportJson): IntervalRow[] {
  return REPORT_METRICS.map((metric) => {
    const o = r.overall?.[metric];
    const v = r.validation?.rows?.[metric];
    return {
      metric,
      target: num(r.targets?.[metric]?.seconds),
      simP50: num(o?.sim?.p50),
      histP50: num(o?.hist?.p50),
      p50Ratio: num(v?.p50Ratio),
      simP90: num(o?.sim?.p90),
      histP90: num(o?.hist?.p90),
      p90Ratio: num(v?.p90Ratio),
      simWithin: num(o?.sim?.withinTarget),
      histWithin: num(o?.hist?.withinTarget),
      histN: num(o?.hist?.n) ?? 0,
    };
  });
}

/** Whether the drill's calls matched recorded (historical) responses: some interval has a historical sample. */
export function hasHistory(r: ReportJson): boolean {
  return intervalRows(r).some((x) => x.histN > 0);
}

const notAvailable = (key: string) => `<p class="dr-na" data-na="1">${esc(t(key))}</p>`;

/**
 * The validation section as HTML: a line on what the ratios measure (policy `nearest` validates the
 * simulation) and the table interval × (NFPA target, simulated / historical p50 and p90 with their
 * ratio, share within target); or the "not available" line when no call matched history.
 */
export function validationHtml(r: ReportJson): string {
  if (!hasHistory(r)) return notAvailable('report.page.noHistory');
  const v = r.validation;
  const lead = v ? `<p class="dr-lead">${esc(t(v.applies ? 'report.validation.applies' : 'report.validation.otherPolicy', { policy: policyName(v.policy) }))}</p>` : '';
  const cols = ['interval', 'target', 'simP50', 'histP50', 'p50Ratio', 'simP90', 'histP90', 'p90Ratio', 'simWithin', 'histWithin'];
  const head = `<tr>${cols.map((c) => `<th>${esc(t(`report.col.${c}`))}</th>`).join('')}</tr>`;
  const body = intervalRows(r)
    .map(
      (x) =>
        `<tr data-metric="${esc(x.metric)}"><td>${esc(t(`report.metric.${x.metric}`))}</td><td>${whole(x.target)}</td><td>${whole(x.simP50)}</td><td>${whole(x.histP50)}</td><td>${ratio(x.p50Ratio)}</td><td>${whole(x.simP90)}</td><td>${whole(x.histP90)}</td><td>${ratio(x.p90Ratio)}</td><td>${share(x.simWithin)}</td><td>${share(x.histWithin)}</td></tr>`,
    )
    .join('');
  return `${lead}<table class="dr-table" id="dr-validation-table">${head}${body}</table>`;
}

/**
 * The per-policy comparison as HTML: one row per run of the same calls (the first the run asked for),
 * with P1 calls, late ones and their share, mean and p90 response (seconds), move-ups made, and the
 * late share and mean response over the first row's; or the "not available" line when the drill was
 * not compared with another policy (fewer than two rows).
 */
export function policyHtml(r: ReportJson): string {
  const rows = r.policies ?? [];
  if (rows.length < 2) return notAvailable('report.page.noPolicies');
  const cols = ['policy', 'p1Calls', 'late', 'lateShare', 'meanResponse', 'p90Response', 'moveUps', 'lateRatio', 'meanRatio'];
  const head = `<tr>${cols.map((c) => `<th>${esc(t(`report.col.${c}`))}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      (x) =>
        `<tr><td>${esc(policyName(x.policy))}</td><td>${whole(x.p1Calls)}</td><td>${whole(x.lateCalls)}</td><td>${share(x.lateShare)}</td><td>${whole(x.meanResponseS)}</td><td>${whole(x.p90ResponseS)}</td><td>${whole(x.moveUpsMade)}</td><td>${ratio(x.lateShareRatio)}</td><td>${ratio(x.meanResponseRatio)}</td></tr>`,
    )
    .join('');
  return `<p class="dr-lead">${esc(t('report.page.policiesExplain'))}</p><table class="dr-table" id="dr-policy-table">${head}${body}</table>${causesHtml(rows)}`;
}

/** The late calls' causes per policy, as a table (nothing when the runs did not count them). */
function causesHtml(rows: NonNullable<ReportJson['policies']>): string {
  const counted = rows.filter((x) => x.lateCauses);
  if (!counted.length) return '';
  const head = `<tr><th>${esc(t('report.col.policy'))}</th>${REPORT_LATE_CAUSES.map((c) => `<th>${esc(t(`report.col.cause.${c}`))}</th>`).join('')}</tr>`;
  const body = counted.map((x) => `<tr><td>${esc(policyName(x.policy))}</td>${REPORT_LATE_CAUSES.map((c) => `<td>${whole(x.lateCauses![c])}</td>`).join('')}</tr>`).join('');
  return `<p class="dr-lead">${esc(t('report.allocation.causesExplain'))}</p><table class="dr-table" id="dr-late-causes">${head}${body}</table>`;
}
