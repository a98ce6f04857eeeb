import type { SitrepSummary } from '@cad/domain';
import type { SituationReport } from './sitrep.service';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Where the HTML page loads Chart.js and its own chart script from (same origin: the CSP allows only `'self'` scripts). */
export const SITREP_ASSETS = { chartJs: '/api/sitrep/assets/chart.umd.js', charts: '/api/sitrep/assets/sitrep-charts.js' };

const table = (head: string[], rows: (string | number)[][]) =>
  `<table><thead><tr>${head.map((x) => `<th>${esc(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

const counts = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/**
 * A situation report as a printable HTML page: the figures as tables (they print and read without
 * scripts) and, on screen, charts drawn by Chart.js from the report's JSON, which rides in a
 * non-executed `application/json` block (no inline script: the CSP forbids it). Every value is escaped.
 */
export function sitrepHtml(r: SituationReport): string {
  const s = r.summary;
  const d = s.damage;
  const rows = (list: SitrepSummary[]) =>
    list.map((c) => [c.name, c.incidents, c.openEscalations, c.unitsCommitted, c.damage.casualties.immediate + c.damage.casualties.delayed + c.damage.casualties.minor, c.damage.casualties.deceased, c.damage.displaced, c.damage.buildingsDamaged, c.damage.buildingsDestroyed, c.damage.roadsBlocked]);
  const chartData = {
    byType: counts(s.byType),
    byStatus: counts(s.byStatus),
    children: s.children.map((c) => ({ name: c.name, incidents: c.incidents, casualties: c.damage.casualties.immediate + c.damage.casualties.delayed + c.damage.casualties.minor + c.damage.casualties.deceased })),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.reportType)}: ${esc(s.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#111}h1{font-size:1.4em}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:.2em .5em;text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1em}.charts canvas{max-height:260px}.status{font-weight:bold;color:${r.status === 'Exercise' ? '#a15c00' : '#111'}}
@media print{.charts{display:none}}</style></head>
<body>
<h1>${esc(r.reportType === 'DailyBriefing' ? 'Daily briefing' : 'Situation report')}: ${esc(s.name)} (${esc(s.level)})</h1>
<p class="status">${esc(r.status)}${r.world !== 'live' ? ` (${esc(r.world)})` : ''}</p>
<p>Period ${esc(r.period.from)} to ${esc(r.period.to)} (UTC; city time zone ${esc(r.period.timeZone)}). Prepared ${esc(r.preparedAt)} by ${esc(r.preparedBy)}.</p>
<h2>Incidents</h2>
${table(['Incidents', 'Open escalations', 'Units committed'], [[s.incidents, s.openEscalations, s.unitsCommitted]])}
${table(['Type', 'Count'], counts(s.byType))}
${table(['Status', 'Count'], counts(s.byStatus))}
${table(['Priority', 'Count'], counts(s.byPriority))}
<h2>Casualties and damage</h2>
${table(['Immediate', 'Delayed', 'Minor', 'Deceased', 'Displaced', 'Buildings damaged', 'Buildings destroyed', 'Roads blocked', 'Reports'], [[d.casualties.immediate, d.casualties.delayed, d.casualties.minor, d.casualties.deceased, d.displaced, d.buildingsDamaged, d.buildingsDestroyed, d.roadsBlocked, s.damageReports]])}
<p>Lifelines out: ${esc(d.lifelinesOut.join(', ') || 'none reported')}. Needs: ${esc(d.needs.join('; ') || 'none reported')}.</p>
<h2>Resources committed</h2>
${table(['Capability', 'Active tasks'], counts(r.resources.committedByCapability))}
<h2>Active public alerts</h2>
${r.activeAlerts.length ? table(['Headline', 'Severity', 'Area'], r.activeAlerts.map((a) => [a.headline ?? '', a.severity ?? '', a.areaDesc])) : '<p>None.</p>'}
${s.children.length ? `<h2>By ${esc(s.children[0].level)}</h2>${table(['Name', 'Incidents', 'Open escalations', 'Units', 'Injured', 'Deceased', 'Displaced', 'Damaged', 'Destroyed', 'Roads blocked'], rows(s.children))}` : ''}
<div class="charts"><canvas id="chart-type" aria-label="Incidents by type"></canvas><canvas id="chart-status" aria-label="Incidents by status"></canvas><canvas id="chart-children" aria-label="Incidents and casualties by jurisdiction"></canvas></div>
<script type="application/json" id="sitrep-data">${JSON.stringify(chartData).replace(/</g, '\\u003c')}</script>
<script src="${SITREP_ASSETS.chartJs}"></script>
<script src="${SITREP_ASSETS.charts}"></script>
</body></html>
`;
}

/** The page's chart script (served at {@link SITREP_ASSETS}.charts): reads the JSON block and draws three bar charts with Chart.js. */
export const SITREP_CHARTS_JS = `(function () {
  var el = document.getElementById('sitrep-data');
  if (!el || typeof Chart === 'undefined') return;
  var d = JSON.parse(el.textContent);
  function bar(id, labels, sets) {
    var c = document.getElementById(id);
    if (c && labels.length) new Chart(c, { type: 'bar', data: { labels: labels, datasets: sets }, options: { animation: false, responsive: true, plugins: { legend: { display: sets.length > 1 } } } });
  }
  bar('chart-type', d.byType.map(function (x) { return x[0]; }), [{ label: 'Incidents by type', data: d.byType.map(function (x) { return x[1]; }) }]);
  bar('chart-status', d.byStatus.map(function (x) { return x[0]; }), [{ label: 'Incidents by status', data: d.byStatus.map(function (x) { return x[1]; }) }]);
  bar('chart-children', d.children.map(function (x) { return x.name; }), [
    { label: 'Incidents', data: d.children.map(function (x) { return x.incidents; }) },
    { label: 'Casualties', data: d.children.map(function (x) { return x.casualties; }) }
  ]);
})();
`;
