/** The after-action report as one self-contained HTML page, in the reader's language. */
import { DEFAULT_LOCALE } from '@cad/i18n';
import type { DrillReport, HourRow } from './report';
import { speedsPlayed } from './drill-run';
import { LATE_CAUSES } from './late-arrivals';
import { type GroupStats, type Metric, METRICS, NFPA_TARGETS } from './report-intervals';
import { translatorFor, type Translator } from './report-locale';
import { policyRows, type PolicyRow, type Validation } from './report-validation';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A message as HTML: its text and values escaped. */
const h = (tr: Translator, key: string, values: Record<string, string | number> = {}) => esc(tr.t(key, values));
/** A metric's name (`report.metric.<metric>`). */
const metricName = (tr: Translator, m: Metric) => h(tr, `report.metric.${m}`);

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
<table><tr><th>${h(tr, 'report.col.policy')}</th><th>${h(tr, 'report.col.p1Calls')}</th><th>${h(tr, 'report.col.late')}</th><th>${h(tr, 'report.col.lateShare')}</th><th>${h(tr, 'report.col.meanResponse')}</th><th>${h(tr, 'report.col.p90Response')}</th><th>${h(tr, 'report.col.lateRatio')}</th><th>${h(tr, 'report.col.meanRatio')}</th></tr>${body}</table>${causesHtml(rows, tr)}`;
}

/** Why the late calls were late, per policy (`lateCauses`); nothing when no row counted them. */
function causesHtml(rows: readonly PolicyRow[], tr: Translator): string {
  const counted = rows.filter((x) => x.lateCauses);
  if (!counted.length) return '';
  const policy = (p: string) => tr.t(`report.policy.${p}`, { defaultValue: p });
  const head = LATE_CAUSES.map((c) => `<th>${h(tr, `report.col.cause.${c}`)}</th>`).join('');
  const body = counted.map((x) => `<tr><td>${esc(policy(x.policy))}</td>${LATE_CAUSES.map((c) => `<td>${tr.fmt(x.lateCauses![c])}</td>`).join('')}</tr>`).join('');
  return `<p>${h(tr, 'report.allocation.causesExplain')}</p>
<table><tr><th>${h(tr, 'report.col.policy')}</th>${head}</tr>${body}</table>`;
}

/** Horizontal bars: simulated and historical p90 per metric, with the NFPA target as a red tick. Inline SVG. */
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
    speed: speedsPlayed(run),
    calls,
    state: tr.t(`drill.state.${String(run.state)}`, { defaultValue: String(run.state) }),
    wall: String(run.wallSeconds),
  });
  return `<!doctype html><html lang="${esc(tr.locale)}"><head><meta charset="utf-8"><title>${h(tr, 'report.pageTitle', { id: String(run.id) })}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1400px}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #cbd5e0;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}.h{color:#4a5568;background:#f7fafc}.src{text-align:left;font-size:12px;color:#4a5568}svg text{font-size:12px}svg .v{font-size:11px}.legend{font-size:12px;color:#4a5568}.bar{display:inline-block;height:10px;background:#2b6cb0}</style></head><body>
<h1>${h(tr, 'report.title', { id: String(run.id) })}</h1>
<p>${summaryLine} ${h(tr, 'report.hash')} <code>${esc(run.eventLogHash)}</code>.</p>
${Number(run.surge ?? 1) > 1 ? `<p><b>${h(tr, 'report.surge', { factor: Number(run.surge) })}</b></p>` : ''}
${run.plans === 'history' || run.plans === 'city' ? `<p>${h(tr, `report.plans.${run.plans}`)}</p>` : ''}
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
${r.utilisation.length > 30 ? `<p>${h(tr, 'report.utilisationShown', { shown: 30, count: r.utilisation.length })}</p>` : ''}
<table><tr><th>${h(tr, 'report.col.unit')}</th><th>${h(tr, 'report.col.type')}</th><th>${h(tr, 'report.col.simResponses')}</th><th>${h(tr, 'report.col.simBusy')}</th><th>${h(tr, 'report.col.histResponses')}</th><th>${h(tr, 'report.col.histBusy')}</th></tr>${util}</table>
<h2>${h(tr, 'report.h.notes')}</h2><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>`;
}
