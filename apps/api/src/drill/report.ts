import { createTranslator, DEFAULT_LOCALE, pickLocale } from '@cad/i18n';
import { loadLocales } from '@cad/i18n/node';
import type { TFunction } from 'i18next';
import { isEmsUnit } from '@cad/domain';
import { quantile } from '@cad/domain';
import { allocationFigures, type AllocationFigures } from './late-arrivals';

/**
 * Response-time targets, seconds, at the 90th percentile:
 * - NFPA 1225 (2022) 7.4 (carried over from NFPA 1221 (2019) 7.4.2): emergency alarm processing ≤ 60 s, 90 %.
 * - NFPA 1710 (2020) 4.1.2.1: turnout ≤ 60 s for EMS, ≤ 80 s for fire; travel ≤ 240 s for the first
 *   engine, ≤ 480 s for the full first-alarm assignment; first-engine total response (processing +
 *   turnout + travel) follows as 60 + 80 + 240 = 380 s.
 */
export const NFPA_TARGETS = {
  callProcessing: { seconds: 60, source: 'NFPA 1225 (2022) 7.4 / NFPA 1221 (2019) 7.4.2: 60 s at the 90th percentile' },
  turnoutEms: { seconds: 60, source: 'NFPA 1710 (2020) 4.1.2.1(2): EMS turnout 60 s' },
  turnoutFire: { seconds: 80, source: 'NFPA 1710 (2020) 4.1.2.1(2): fire turnout 80 s' },
  travelFirstUnit: { seconds: 240, source: 'NFPA 1710 (2020) 4.1.2.1(3): first engine travel 240 s' },
  travelFullAlarm: { seconds: 480, source: 'NFPA 1710 (2020) 4.1.2.1(5): full first-alarm travel 480 s' },
  totalResponse: { seconds: 380, source: 'sum of the NFPA 1225 processing (60 s), fire turnout (80 s) and first-engine travel (240 s) targets' },
} as const;
export type Metric = keyof typeof NFPA_TARGETS;
export const METRICS = Object.keys(NFPA_TARGETS) as Metric[];

/** True for unit types whose turnout is judged against the EMS target (one home: `@cad/domain`). */
export { isEmsUnit };

/** One unit's response (simulated or historical), instants in ms since the epoch (null: did not happen). */
export interface UnitTimes {
  unitId: string;
  unitType: string;
  dispatch: number | null;
  enRoute: number | null;
  onScene: number | null;
  clear: number | null;
}

/** One call with where it was and how it was answered in the drill (`sim`) and historically (`hist`). */
export interface ReportCall {
  callId: string;
  type: string;
  priority: number;
  district: string;
  street: string;
  received: number;
  sim: UnitTimes[];
  hist: UnitTimes[];
  /** When the call reached dispatch in the drill (received + simulated call processing), ms; default `received`. */
  posted?: number;
  /** Capabilities of its response plan, one per slot (for late arrivals); default: an engine. */
  plan?: string[];
}

/** The intervals of one call, seconds; each list may be empty. */
export interface CallIntervals {
  callProcessing: number[];
  turnoutEms: number[];
  turnoutFire: number[];
  travelFirstUnit: number[];
  travelFullAlarm: number[];
  totalResponse: number[];
}

const d = (a: number | null, b: number | null) => (a !== null && b !== null && b >= a ? (b - a) / 1000 : null);
const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

/**
 * A call's intervals: call processing = first dispatch − received; turnout = en route − dispatch per
 * unit (EMS or fire by unit type); first-unit travel = on scene − en route of the first unit on scene;
 * full-alarm travel = the longest travel among the call's units (calls with two units or more);
 * total response = first on scene − received.
 */
export function intervalsOf(received: number, units: UnitTimes[]): CallIntervals {
  const firstDispatch = Math.min(...nums(units.map((u) => u.dispatch)));
  const arrived = units.filter((u) => u.onScene !== null).sort((a, b) => a.onScene! - b.onScene!);
  const travels = nums(units.map((u) => d(u.enRoute, u.onScene)));
  const first = arrived[0];
  return {
    callProcessing: Number.isFinite(firstDispatch) ? nums([d(received, firstDispatch)]) : [],
    turnoutEms: nums(units.filter((u) => isEmsUnit(u.unitType)).map((u) => d(u.dispatch, u.enRoute))),
    turnoutFire: nums(units.filter((u) => !isEmsUnit(u.unitType)).map((u) => d(u.dispatch, u.enRoute))),
    travelFirstUnit: first ? nums([d(first.enRoute, first.onScene)]) : [],
    travelFullAlarm: units.length >= 2 && travels.length === units.length ? [Math.max(...travels)] : [],
    totalResponse: first ? nums([d(received, first.onScene)]) : [],
  };
}

/** Percentiles of one interval, seconds, and the share within its NFPA target. */
export interface Dist {
  n: number;
  p50: number | null;
  p90: number | null;
  withinTarget: number | null;
}

function dist(values: number[], target: number): Dist {
  if (!values.length) return { n: 0, p50: null, p90: null, withinTarget: null };
  return {
    n: values.length,
    p50: round(quantile(values, 0.5)),
    p90: round(quantile(values, 0.9)),
    withinTarget: round(values.filter((v) => v <= target).length / values.length, 3),
  };
}
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Simulated and historical distributions of every metric for a group of calls. */
export type GroupStats = { calls: number } & Record<Metric, { sim: Dist; hist: Dist }>;

function groupStats(calls: ReportCall[]): GroupStats {
  const acc = (pick: (c: ReportCall) => UnitTimes[]) => {
    const all: CallIntervals = { callProcessing: [], turnoutEms: [], turnoutFire: [], travelFirstUnit: [], travelFullAlarm: [], totalResponse: [] };
    for (const c of calls) {
      const iv = intervalsOf(c.received, pick(c));
      for (const m of METRICS) all[m].push(...iv[m]);
    }
    return all;
  };
  const sim = acc((c) => c.sim);
  const hist = acc((c) => c.hist);
  const out = { calls: calls.length } as GroupStats;
  for (const m of METRICS) out[m] = { sim: dist(sim[m], NFPA_TARGETS[m].seconds), hist: dist(hist[m], NFPA_TARGETS[m].seconds) };
  return out;
}

function groupBy(calls: ReportCall[], key: (c: ReportCall) => string): Record<string, GroupStats> {
  const m = new Map<string, ReportCall[]>();
  for (const c of calls) (m.get(key(c)) ?? m.set(key(c), []).get(key(c))!).push(c);
  return Object.fromEntries([...m].sort((a, b) => b[1].length - a[1].length).map(([k, v]) => [k, groupStats(v)]));
}

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

/** One policy's run in a policy comparison, with its figures over those of the first run (`nearest`). */
export interface PolicyRow extends AllocationFigures {
  id: string;
  policy: string;
  /** lateShare and meanResponseS over the first row's (null when it has none). */
  lateShareRatio: number | null;
  meanResponseRatio: number | null;
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
  }));
}

/** One interval of the validation section: simulated and historical p50/p90 (seconds) and their ratios (sim / hist). */
export interface ValidationRow {
  simP50: number | null;
  histP50: number | null;
  p50Ratio: number | null;
  simP90: number | null;
  histP90: number | null;
  p90Ratio: number | null;
}

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

/** A note of the report: a message key of the locale files (`report.note.*`) and its values. */
export interface ReportNote {
  key: string;
  values: Record<string, string | number>;
}

/** Two runs of the same calls side by side: p50/p90 of each metric and the difference (B − A), seconds. */
export interface Comparison {
  a: { id: string; policy: string };
  b: { id: string; policy: string };
  metrics: Record<Metric, { a: Dist; b: Dist; deltaP90: number | null }>;
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

/** A translator and number formats for one locale of the report. */
interface Translator {
  locale: string;
  t: TFunction;
  /** Seconds or a count, no decimals, grouped by the locale (`1,234`); `–` when unknown. */
  fmt: (x: number | null) => string;
  /** A share as a percentage in the locale (`85%` / `85%`); `–` when unknown. */
  pct: (x: number | null) => string;
}

const translators = new Map<string, Translator>();
/** The translator of `locale` (one of the locale files, else English), built once. */
function translatorFor(locale: string): Translator {
  let tr = translators.get(locale);
  if (!tr) {
    const t = createTranslator(loadLocales(), locale);
    const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    tr = { locale, t, fmt: (x) => (x === null ? '–' : whole.format(x)), pct: (x) => (x === null ? '–' : share.format(x)) };
    translators.set(locale, tr);
  }
  return tr;
}

/**
 * The report's locale for a reader: `lang` (e.g. the console's `?lang=zh-CN`) when a locale file offers
 * it, else the first offered of the `Accept-Language` header's languages (RFC 9110 12.5.4, by weight),
 * else English.
 */
export function reportLocale(lang: string | undefined, acceptLanguage: string | undefined): string {
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
  return pickLocale(lang?.trim() || null, preferred, Object.keys(loadLocales()));
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A message as HTML: its text and values escaped. */
const h = (tr: Translator, key: string, values: Record<string, string | number> = {}) => esc(tr.t(key, values));
/** A metric's name (`report.metric.<metric>`). */
const metricName = (tr: Translator, m: Metric) => h(tr, `report.metric.${m}`);

/** Horizontal bars: simulated and historical p90 per metric, with the NFPA target as a red tick. Inline SVG. */
/** The validation section: simulated over historical p50/p90 per interval (absent from reports recorded before it). */
function validationHtml(r: DrillReport, tr: Translator): string {
  const v = r.validation as Validation | undefined;
  if (!v) return '';
  const ratio = (x: number | null) => (x === null ? '–' : new Intl.NumberFormat(tr.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x));
  const rows = METRICS.map((m) => {
    const x = v.rows[m];
    return `<tr><td>${metricName(tr, m)}</td><td>${tr.fmt(x.simP50)}</td><td class="h">${tr.fmt(x.histP50)}</td><td>${ratio(x.p50Ratio)}</td><td>${tr.fmt(x.simP90)}</td><td class="h">${tr.fmt(x.histP90)}</td><td>${ratio(x.p90Ratio)}</td></tr>`;
  }).join('');
  return `<h2>${h(tr, 'report.h.validation')}</h2>
<p>${h(tr, v.applies ? 'report.validation.applies' : 'report.validation.otherPolicy', { policy: tr.t(`report.policy.${v.policy}`, { defaultValue: v.policy }) })}</p>
<table><tr><th>${h(tr, 'report.col.interval')}</th><th>${h(tr, 'report.col.simP50')}</th><th>${h(tr, 'report.col.histP50')}</th><th>${h(tr, 'report.col.ratio')}</th><th>${h(tr, 'report.col.simP90')}</th><th>${h(tr, 'report.col.histP90')}</th><th>${h(tr, 'report.col.ratio')}</th></tr>${rows}</table>`;
}

/** The allocation section: late-arrival share and response of this run, and of each policy when runs were compared. */
function allocationHtml(r: DrillReport, tr: Translator): string {
  const a = r.allocation;
  if (!a) return '';
  const policy = (p: string) => tr.t(`report.policy.${p}`, { defaultValue: p });
  const ratio = (x: number | null) => (x === null ? '–' : new Intl.NumberFormat(tr.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x));
  const rows: PolicyRow[] = r.policies ?? policyRows([r]);
  const body = rows
    .map((x) => `<tr><td>${esc(policy(x.policy))}</td><td>${tr.fmt(x.p1Calls)}</td><td>${tr.fmt(x.lateCalls)}</td><td>${tr.pct(x.lateShare)}</td><td>${tr.fmt(x.meanResponseS)}</td><td>${tr.fmt(x.p90ResponseS)}</td><td>${ratio(x.lateShareRatio)}</td><td>${ratio(x.meanResponseRatio)}</td></tr>`)
    .join('');
  return `<h2>${h(tr, 'report.h.allocation')}</h2>
<p>${h(tr, 'report.allocation.explain', { engine: a.targets.engineSeconds, als: a.targets.alsSeconds })}</p>
<table><tr><th>${h(tr, 'report.col.policy')}</th><th>${h(tr, 'report.col.p1Calls')}</th><th>${h(tr, 'report.col.late')}</th><th>${h(tr, 'report.col.lateShare')}</th><th>${h(tr, 'report.col.meanResponse')}</th><th>${h(tr, 'report.col.p90Response')}</th><th>${h(tr, 'report.col.lateRatio')}</th><th>${h(tr, 'report.col.meanRatio')}</th></tr>${body}</table>`;
}

function p90Chart(s: GroupStats, tr: Translator): string {
  const w = 640;
  const rowH = 34;
  const left = 150;
  const max = Math.max(...METRICS.flatMap((m) => [s[m].sim.p90 ?? 0, s[m].hist.p90 ?? 0, NFPA_TARGETS[m].seconds])) * 1.1 || 1;
  const x = (v: number) => left + ((w - left - 20) * v) / max;
  const rows = METRICS.map((m, i) => {
    const y = 10 + i * rowH;
    const sv = s[m].sim.p90;
    const hv = s[m].hist.p90;
    const target = NFPA_TARGETS[m].seconds;
    return (
      `<text x="${left - 6}" y="${y + 16}" text-anchor="end">${metricName(tr, m)}</text>` +
      (sv !== null ? `<rect x="${left}" y="${y + 2}" width="${x(sv) - left}" height="12" fill="#2b6cb0"><title>${h(tr, 'report.chart.simP90', { s: tr.fmt(sv) })}</title></rect><text x="${x(sv) + 4}" y="${y + 12}" class="v">${tr.fmt(sv)}</text>` : '') +
      (hv !== null ? `<rect x="${left}" y="${y + 16}" width="${x(hv) - left}" height="12" fill="#a0aec0"><title>${h(tr, 'report.chart.histP90', { s: tr.fmt(hv) })}</title></rect><text x="${x(hv) + 4}" y="${y + 26}" class="v">${tr.fmt(hv)}</text>` : '') +
      `<line x1="${x(target)}" x2="${x(target)}" y1="${y}" y2="${y + 30}" stroke="#c53030" stroke-width="2"><title>${h(tr, 'report.chart.target', { s: tr.fmt(target) })}</title></line>`
    );
  }).join('');
  return `<svg viewBox="0 0 ${w} ${10 + METRICS.length * rowH}" width="${w}" role="img" aria-label="${h(tr, 'report.chart.p90Label')}">${rows}</svg>
  <p class="legend"><span style="color:#2b6cb0">■</span> ${h(tr, 'report.chart.legendSim')} &nbsp; <span style="color:#a0aec0">■</span> ${h(tr, 'report.chart.legendHist')} &nbsp; <span style="color:#c53030">|</span> ${h(tr, 'report.chart.legendTarget')}</p>`;
}

/** Calls, waits for units and escalations per hour: columns and lines, inline SVG. */
function timelineChart(rows: HourRow[], tr: Translator): string {
  if (!rows.length) return '';
  const w = 760;
  const ht = 180;
  const bw = Math.max(2, (w - 40) / rows.length);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.calls, r.escalations, r.waitingForUnits)));
  const y = (v: number) => ht - 20 - ((ht - 40) * v) / max;
  const bars = rows
    .map((r, i) => `<rect x="${30 + i * bw}" y="${y(r.calls)}" width="${bw * 0.8}" height="${ht - 20 - y(r.calls)}" fill="#90cdf4"><title>${h(tr, 'report.chart.hourCalls', { hour: r.hour, count: r.calls })}</title></rect>`)
    .join('');
  const line = (k: 'escalations' | 'waitingForUnits', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${rows.map((r, i) => `${30 + i * bw + bw * 0.4},${y(r[k])}`).join(' ')}"/>`;
  return `<svg viewBox="0 0 ${w} ${ht}" width="${w}" role="img" aria-label="${h(tr, 'report.chart.perHourLabel')}">${bars}${line('waitingForUnits', '#dd6b20')}${line('escalations', '#c53030')}
  <text x="30" y="${ht - 4}">${esc(rows[0].hour)}</text><text x="${w - 10}" y="${ht - 4}" text-anchor="end">${esc(rows[rows.length - 1].hour)}</text><text x="4" y="14">${tr.fmt(max)}</text></svg>
  <p class="legend"><span style="color:#90cdf4">■</span> ${h(tr, 'report.chart.legendCalls')} &nbsp; <span style="color:#dd6b20">—</span> ${h(tr, 'report.chart.legendWaiting')} &nbsp; <span style="color:#c53030">—</span> ${h(tr, 'report.chart.legendEscalations')}</p>`;
}

/** One table of p50 / p90 per metric for groups of calls; `name` labels a group key (a call type is translated). */
function statsTable(title: string, groups: Record<string, GroupStats>, tr: Translator, name: (k: string) => string = (k) => k, limit = 25): string {
  const keys = Object.keys(groups).slice(0, limit);
  const head = `<tr><th rowspan="2">${esc(title)}</th><th rowspan="2">${h(tr, 'report.col.calls')}</th>${METRICS.map((m) => `<th colspan="2">${h(tr, 'report.col.p50p90', { metric: tr.t(`report.metric.${m}`) })}</th>`).join('')}</tr><tr>${METRICS.map(() => `<th>${h(tr, 'report.col.sim')}</th><th>${h(tr, 'report.col.hist')}</th>`).join('')}</tr>`;
  const body = keys
    .map((k) => {
      const g = groups[k];
      return `<tr><td>${esc(name(k))}</td><td>${tr.fmt(g.calls)}</td>${METRICS.map((m) => `<td>${tr.fmt(g[m].sim.p50)} / ${tr.fmt(g[m].sim.p90)}</td><td class="h">${tr.fmt(g[m].hist.p50)} / ${tr.fmt(g[m].hist.p90)}</td>`).join('')}</tr>`;
    })
    .join('');
  const more = Object.keys(groups).length > limit ? `<p>${h(tr, 'report.more', { count: Object.keys(groups).length - limit })}</p>` : '';
  return `<table>${head}${body}</table>${more}`;
}

/**
 * The report as one self-contained HTML page (inline CSS and SVG charts, no scripts), in `locale`
 * (a locale file's name; see {@link reportLocale}): headings, labels, notes and numbers; names and
 * codes from the data (districts, streets, unit ids) as they are.
 */
export function reportHtml(r: DrillReport, locale: string = DEFAULT_LOCALE): string {
  const tr = translatorFor(locale);
  const run = r.run;
  const callType = (type: string) => tr.t(`callType.${type}`, { defaultValue: type });
  const summary = METRICS.map((m) => {
    const s = r.overall[m];
    return `<tr><td>${metricName(tr, m)}</td><td>${tr.fmt(NFPA_TARGETS[m].seconds)}</td><td>${tr.fmt(s.sim.n)}</td><td>${tr.fmt(s.sim.p50)}</td><td>${tr.fmt(s.sim.p90)}</td><td>${tr.pct(s.sim.withinTarget)}</td><td class="h">${tr.fmt(s.hist.n)}</td><td class="h">${tr.fmt(s.hist.p50)}</td><td class="h">${tr.fmt(s.hist.p90)}</td><td class="h">${tr.pct(s.hist.withinTarget)}</td><td class="src">${h(tr, `report.source.${m}`)}</td></tr>`;
  }).join('');
  const policy = (p: unknown) => tr.t(`report.policy.${String(p)}`, { defaultValue: String(p) });
  const cmp = r.comparison
    ? `<h2>${h(tr, 'report.comparison', { a: policy(r.comparison.a.policy), b: policy(r.comparison.b.policy) })}</h2>
<p>${h(tr, 'report.comparisonRuns', { a: r.comparison.a.id, b: r.comparison.b.id })}</p>
<table><tr><th>${h(tr, 'report.col.metric')}</th><th>A p50</th><th>A p90</th><th>B p50</th><th>B p90</th><th>${h(tr, 'report.col.delta')}</th></tr>${METRICS.map((m) => {
        const c = r.comparison!.metrics[m];
        const delta = c.deltaP90 === null ? '–' : new Intl.NumberFormat(tr.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(c.deltaP90);
        return `<tr><td>${metricName(tr, m)}</td><td>${tr.fmt(c.a.p50)}</td><td>${tr.fmt(c.a.p90)}</td><td>${tr.fmt(c.b.p50)}</td><td>${tr.fmt(c.b.p90)}</td><td>${delta}</td></tr>`;
      }).join('')}</table>`
    : '';
  const util = r.utilisation
    .slice(0, 30)
    .map((u) => `<tr><td>${esc(u.unitId)}</td><td>${esc(u.unitType)}</td><td>${tr.fmt(u.simResponses)}</td><td><span class="bar" style="width:${Math.round(u.simShare * 200)}px"></span> ${tr.pct(u.simShare)}</td><td class="h">${tr.fmt(u.histResponses)}</td><td class="h">${tr.pct(u.histShare)}</td></tr>`)
    .join('');
  const days = run.toDay !== run.day ? tr.t('report.daySpan', { from: String(run.day), to: String(run.toDay) }) : String(run.day);
  const calls =
    run.posted !== undefined && run.posted !== run.calls
      ? tr.t('report.callsPosted', { posted: Number(run.posted), count: Number(run.calls) })
      : tr.t('report.calls', { count: Number(run.calls) });
  const notes = r.noteMessages ? r.noteMessages.map((n) => tr.t(n.key, n.values)) : r.notes;
  const summaryLine = h(tr, 'report.summary', {
    scenario: String(run.scenario),
    days,
    policy: policy(run.policy),
    seed: String(run.seed),
    speed: String(run.speed),
    calls,
    state: tr.t(`drill.state.${String(run.state)}`, { defaultValue: String(run.state) }),
    wall: String(run.wallSeconds),
  });
  return `<!doctype html><html lang="${esc(tr.locale)}"><head><meta charset="utf-8"><title>${h(tr, 'report.pageTitle', { id: String(run.id) })}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1400px}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #cbd5e0;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}.h{color:#4a5568;background:#f7fafc}.src{text-align:left;font-size:12px;color:#4a5568}svg text{font-size:12px}svg .v{font-size:11px}.legend{font-size:12px;color:#4a5568}.bar{display:inline-block;height:10px;background:#2b6cb0}</style></head><body>
<h1>${h(tr, 'report.title', { id: String(run.id) })}</h1>
<p>${summaryLine} ${h(tr, 'report.hash')} <code>${esc(run.eventLogHash)}</code>.</p>
${Number(run.surge ?? 1) > 1 ? `<p><b>${h(tr, 'report.surge', { factor: Number(run.surge) })}</b></p>` : ''}
${validationHtml(r, tr)}
${allocationHtml(r, tr)}
<h2>${h(tr, 'report.h.intervals')}</h2>
${p90Chart(r.overall, tr)}
<table><tr><th>${h(tr, 'report.col.interval')}</th><th>${h(tr, 'report.col.target')}</th><th>${h(tr, 'report.col.simN')}</th><th>${h(tr, 'report.col.simP50')}</th><th>${h(tr, 'report.col.simP90')}</th><th>${h(tr, 'report.col.simWithin')}</th><th>${h(tr, 'report.col.histN')}</th><th>${h(tr, 'report.col.histP50')}</th><th>${h(tr, 'report.col.histP90')}</th><th>${h(tr, 'report.col.histWithin')}</th><th>${h(tr, 'report.col.source')}</th></tr>${summary}</table>
${cmp}
<h2>${h(tr, 'report.h.perHour')}</h2>
${timelineChart(r.timeline, tr)}
<h2>${h(tr, 'report.h.byType')}</h2>${statsTable(tr.t('report.col.callType'), r.byType, tr, callType)}
<h2>${h(tr, 'report.h.byPriority')}</h2>${statsTable(tr.t('report.col.priority'), r.byPriority, tr)}
<h2>${h(tr, 'report.h.byDistrict')}</h2>${statsTable(tr.t('report.col.district'), r.byDistrict, tr)}
<h2>${h(tr, 'report.h.byStreet')}</h2>${statsTable(tr.t('report.col.street'), r.byStreet, tr)}
<h2>${h(tr, 'report.h.utilisation')}</h2>
<table><tr><th>${h(tr, 'report.col.unit')}</th><th>${h(tr, 'report.col.type')}</th><th>${h(tr, 'report.col.simResponses')}</th><th>${h(tr, 'report.col.simBusy')}</th><th>${h(tr, 'report.col.histResponses')}</th><th>${h(tr, 'report.col.histBusy')}</th></tr>${util}</table>
<h2>${h(tr, 'report.h.notes')}</h2><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>`;
}
