/**
 * The after-action report page at its own URL (`/drills/<id>/report`, issue 26 part 7), served by the
 * API from the console's `drill-report.html`: it reads `GET /api/drills/:id/report.json` with the
 * console's sign-in (same origin) and draws, with Chart.js, the 90th percentile of each response
 * interval (simulated, historical, and the NFPA target) and the calls, coverage gaps and escalations per
 * simulated hour, each chart with titled, labelled axes, in the language chosen on the console; and the
 * NFPA 1710 / 1225 intervals simulated against historical (validation table and a chart of the ratios),
 * and the per-policy comparison when the page's URL names other runs (`?policies=<id>,<id>`).
 */
import './drill-report.css';
import { type ChartDataset, BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Title, Tooltip } from 'chart.js';
import { ApiError, request } from '../api';
import { token } from '../auth';
import { esc } from '../format';
import { addLocales, mountLocalePicker, onLocaleChange, t } from '../i18n';
import { hourLabels, p90Rows, type ReportJson } from './report-data';
import { hasHistory, intervalRows, policyHtml, validationHtml } from './report-tables';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Title, Tooltip);
Chart.defaults.color = '#c7d0da';
Chart.defaults.borderColor = '#2a343f';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
addLocales(import.meta.glob('../../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));

/** The run id from the path `/drills/<id>/report` (or `?id=` on the page's own file name). */
function runId(): string | null {
  const m = /^\/drills\/([^/]+)\/report\/?$/.exec(location.pathname);
  if (m) return decodeURIComponent(m[1]);
  return new URLSearchParams(location.search).get('id');
}

const id = runId();
let report: ReportJson | null = null;
const charts: Chart[] = [];

function status(text: string, error = false): void {
  $('dr-status').textContent = text;
  $('dr-status').classList.toggle('error', error);
}

/** Axis options: a title on each axis, ticks labelled; `y` from zero. */
function axes(x: string, y: string) {
  return {
    x: { title: { display: true, text: x }, ticks: { autoSkip: true, maxRotation: 0 } },
    y: { beginAtZero: true, title: { display: true, text: y } },
  };
}

/** A chart's options: sized by its box, drawn at once, titled axes (`x`, `y`), legend below, and a title when given. */
function chartOptions(x: string, y: string, title?: string) {
  const plugins = { legend: { position: 'bottom' as const }, ...(title ? { title: { display: true, text: title } } : {}) };
  return { responsive: true, maintainAspectRatio: false, animation: false as const, scales: axes(x, y), plugins };
}

/** Draws a bar chart (bars, and lines over them) with `labels` on the x axis on the canvas `canvasId`, kept in {@link charts}. */
function barChart(canvasId: string, labels: string[], datasets: ChartDataset<'bar' | 'line', (number | null)[]>[], options: ReturnType<typeof chartOptions>): void {
  charts.push(new Chart<'bar' | 'line', (number | null)[], string>($<HTMLCanvasElement>(canvasId), { type: 'bar', data: { labels, datasets }, options }));
}

function draw(): void {
  for (const c of charts.splice(0)) c.destroy();
  $('dr-back').textContent = t('report.page.back');
  $('dr-title').textContent = t('report.title', { id: id ?? '' });
  document.title = t('report.pageTitle', { id: id ?? '' });
  if (!report) return;
  const run = report.run;
  const days = run.toDay && run.toDay !== run.day ? t('report.daySpan', { from: String(run.day ?? ''), to: String(run.toDay) }) : String(run.day ?? '');
  $('dr-summary').textContent = t('report.page.summary', {
    id: id ?? '',
    days,
    policy: t(`report.policy.${String(run.policy)}`, { defaultValue: String(run.policy ?? '') }),
    calls: t('report.calls', { count: report.overall.calls }),
    state: t(`drill.state.${String(run.state)}`, { defaultValue: String(run.state ?? '') }),
  });

  const rows = p90Rows(report);
  $('dr-p90-card').hidden = false;
  $('dr-p90-title').textContent = t('report.page.p90Title');
  const metricNames = rows.map((r) => t(`report.metric.${r.metric}`));
  barChart('dr-p90', metricNames, [
    { type: 'bar', label: t('report.chart.legendSim'), data: rows.map((r) => r.sim), backgroundColor: '#4cc2ff' },
    { type: 'bar', label: t('report.chart.legendHist'), data: rows.map((r) => r.hist), backgroundColor: '#8b98a7' },
    { type: 'line', label: t('report.chart.legendTarget'), data: rows.map((r) => r.target), borderColor: '#e5484d', backgroundColor: '#e5484d', showLine: false, pointStyle: 'line', pointRadius: 14, pointBorderWidth: 3 },
  ], chartOptions(t('report.page.axisInterval'), t('report.page.axisSeconds')));
  $('dr-p90-table').innerHTML = `<tr><th>${esc(t('report.col.interval'))}</th><th>${esc(t('report.col.simP90'))}</th><th>${esc(t('report.col.histP90'))}</th><th>${esc(t('report.col.target'))}</th></tr>${rows
    .map((r, i) => `<tr data-metric="${esc(r.metric)}"><td>${esc(metricNames[i])}</td><td>${r.sim ?? '—'}</td><td>${r.hist ?? '—'}</td><td>${r.target}</td></tr>`)
    .join('')}`;

  const hours = report.timeline ?? [];
  $('dr-hour-card').hidden = !hours.length;
  $('dr-hour-title').textContent = t('report.page.hourTitle');
  if (hours.length) {
    barChart('dr-hour', hourLabels(hours), [
      { type: 'bar', label: t('report.chart.legendCalls'), data: hours.map((h) => h.calls), backgroundColor: '#4cc2ff' },
      { type: 'line', label: t('report.chart.legendWaiting'), data: hours.map((h) => h.waitingForUnits), borderColor: '#f5a524', backgroundColor: '#f5a524' },
      { type: 'line', label: t('report.chart.legendEscalations'), data: hours.map((h) => h.escalations), borderColor: '#e5484d', backgroundColor: '#e5484d' },
    ], chartOptions(t('report.page.axisHour'), t('report.page.axisCount')));
  }
  // Drawn after the hour chart so the charts keep their order for readers of `__cadReport` (p90, hours, ratios).
  $('dr-validation-card').hidden = false;
  $('dr-validation-title').textContent = t('report.h.validation');
  $('dr-validation').innerHTML = validationHtml(report);
  const history = hasHistory(report);
  $('dr-ratio-box').hidden = !history;
  if (history) {
    const ratios = intervalRows(report);
    barChart('dr-ratio', metricNames, [
      { type: 'bar', label: t('report.page.legendP50Ratio'), data: ratios.map((r) => r.p50Ratio), backgroundColor: '#8b98a7' },
      { type: 'bar', label: t('report.page.legendP90Ratio'), data: ratios.map((r) => r.p90Ratio), backgroundColor: '#4cc2ff' },
      { type: 'line', label: t('report.page.legendParity'), data: ratios.map(() => 1), borderColor: '#46a758', backgroundColor: '#46a758', borderDash: [6, 4], pointRadius: 0 },
    ], chartOptions(t('report.page.axisInterval'), t('report.page.axisRatio'), t('report.page.ratioTitle')));
  }
  $('dr-policy-card').hidden = false;
  $('dr-policy-title').textContent = t('report.page.policiesTitle');
  $('dr-policy').innerHTML = policyHtml(report);
  status('');
  document.body.dataset.ready = '1';
}

async function start(): Promise<void> {
  draw();
  if (!id) return status(t('report.page.notFound', { error: 'id' }), true);
  if (!token()) return status(t('report.page.signIn'), true);
  status(t('report.page.loading'));
  try {
    // `?policies=<id>,<id>` on the page's URL: runs of the same calls under other policies, side by side.
    const policies = new URLSearchParams(location.search).get('policies');
    const query = policies ? `?policies=${encodeURIComponent(policies)}` : '';
    report = await request<ReportJson>('GET', `/api/drills/${encodeURIComponent(id)}/report.json${query}`);
    draw();
  } catch (err) {
    status(err instanceof ApiError && err.status === 401 ? t('report.page.signIn') : t('report.page.notFound', { error: (err as Error).message }), true);
  }
}

onLocaleChange(draw);
void start();

/** What each chart draws, for end-to-end tests (read-only): axis titles, x labels, dataset labels. */
(window as unknown as { __cadReport: unknown }).__cadReport = {
  charts: () =>
    charts.map((c) => {
      const scales = c.options.scales as Record<string, { title?: { text?: unknown } } | undefined>;
      return { x: scales.x?.title?.text, y: scales.y?.title?.text, labels: c.data.labels, datasets: c.data.datasets.map((d) => d.label) };
    }),
};
