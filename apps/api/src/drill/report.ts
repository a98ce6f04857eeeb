import { quantile } from './crews';

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

const EMS_UNIT_TYPES = new Set(['MEDIC', 'PRIVATE', 'RESCUE CAPTAIN']);
/** True for unit types whose turnout is judged against the EMS target. */
export const isEmsUnit = (unitType: string) => EMS_UNIT_TYPES.has(unitType);

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
  notes: string[];
  comparison?: Comparison;
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
  notes: string[],
): DrillReport {
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
  return {
    run,
    targets: NFPA_TARGETS,
    overall: groupStats(calls),
    byType: groupBy(calls, (c) => c.type),
    byPriority: groupBy(calls, (c) => `P${c.priority}`),
    byDistrict: groupBy(calls, (c) => c.district),
    byStreet: groupBy(calls, (c) => c.street),
    utilisation: utilisation(calls, start, end),
    timeline: [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour)),
    notes,
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

const LABEL: Record<Metric, string> = {
  callProcessing: 'Call processing',
  turnoutEms: 'Turnout (EMS)',
  turnoutFire: 'Turnout (fire)',
  travelFirstUnit: 'Travel, first unit',
  travelFullAlarm: 'Travel, full alarm',
  totalResponse: 'Total response',
};

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(0));
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);

/** Horizontal bars: simulated and historical p90 per metric, with the NFPA target as a red tick. Inline SVG. */
function p90Chart(s: GroupStats): string {
  const w = 640;
  const rowH = 34;
  const left = 150;
  const max = Math.max(...METRICS.flatMap((m) => [s[m].sim.p90 ?? 0, s[m].hist.p90 ?? 0, NFPA_TARGETS[m].seconds])) * 1.1 || 1;
  const x = (v: number) => left + ((w - left - 20) * v) / max;
  const rows = METRICS.map((m, i) => {
    const y = 10 + i * rowH;
    const sv = s[m].sim.p90;
    const hv = s[m].hist.p90;
    const t = NFPA_TARGETS[m].seconds;
    return (
      `<text x="${left - 6}" y="${y + 16}" text-anchor="end">${LABEL[m]}</text>` +
      (sv !== null ? `<rect x="${left}" y="${y + 2}" width="${x(sv) - left}" height="12" fill="#2b6cb0"><title>simulated p90 ${sv} s</title></rect><text x="${x(sv) + 4}" y="${y + 12}" class="v">${fmt(sv)}</text>` : '') +
      (hv !== null ? `<rect x="${left}" y="${y + 16}" width="${x(hv) - left}" height="12" fill="#a0aec0"><title>historical p90 ${hv} s</title></rect><text x="${x(hv) + 4}" y="${y + 26}" class="v">${fmt(hv)}</text>` : '') +
      `<line x1="${x(t)}" x2="${x(t)}" y1="${y}" y2="${y + 30}" stroke="#c53030" stroke-width="2"><title>NFPA target ${t} s</title></line>`
    );
  }).join('');
  return `<svg viewBox="0 0 ${w} ${10 + METRICS.length * rowH}" width="${w}" role="img" aria-label="p90 by metric">${rows}</svg>
  <p class="legend"><span style="color:#2b6cb0">■</span> simulated p90 &nbsp; <span style="color:#a0aec0">■</span> historical p90 &nbsp; <span style="color:#c53030">|</span> NFPA target (s)</p>`;
}

/** Calls, waits for units and escalations per hour: columns and lines, inline SVG. */
function timelineChart(rows: HourRow[]): string {
  if (!rows.length) return '';
  const w = 760;
  const h = 180;
  const bw = Math.max(2, (w - 40) / rows.length);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.calls, r.escalations, r.waitingForUnits)));
  const y = (v: number) => h - 20 - ((h - 40) * v) / max;
  const bars = rows.map((r, i) => `<rect x="${30 + i * bw}" y="${y(r.calls)}" width="${bw * 0.8}" height="${h - 20 - y(r.calls)}" fill="#90cdf4"><title>${esc(r.hour)}: ${r.calls} calls</title></rect>`).join('');
  const line = (k: 'escalations' | 'waitingForUnits', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${rows.map((r, i) => `${30 + i * bw + bw * 0.4},${y(r[k])}`).join(' ')}"/>`;
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" role="img" aria-label="calls per hour">${bars}${line('waitingForUnits', '#dd6b20')}${line('escalations', '#c53030')}
  <text x="30" y="${h - 4}">${esc(rows[0].hour)}</text><text x="${w - 10}" y="${h - 4}" text-anchor="end">${esc(rows[rows.length - 1].hour)}</text><text x="4" y="14">${max}</text></svg>
  <p class="legend"><span style="color:#90cdf4">■</span> calls per hour &nbsp; <span style="color:#dd6b20">—</span> calls that waited for a unit (coverage gap) &nbsp; <span style="color:#c53030">—</span> escalations</p>`;
}

function statsTable(title: string, groups: Record<string, GroupStats>, limit = 25): string {
  const keys = Object.keys(groups).slice(0, limit);
  const head = `<tr><th rowspan="2">${esc(title)}</th><th rowspan="2">calls</th>${METRICS.map((m) => `<th colspan="2">${LABEL[m]} p50 / p90 (s)</th>`).join('')}</tr><tr>${METRICS.map(() => '<th>sim</th><th>hist</th>').join('')}</tr>`;
  const body = keys
    .map((k) => {
      const g = groups[k];
      return `<tr><td>${esc(k)}</td><td>${g.calls}</td>${METRICS.map((m) => `<td>${fmt(g[m].sim.p50)} / ${fmt(g[m].sim.p90)}</td><td class="h">${fmt(g[m].hist.p50)} / ${fmt(g[m].hist.p90)}</td>`).join('')}</tr>`;
    })
    .join('');
  const more = Object.keys(groups).length > limit ? `<p>${Object.keys(groups).length - limit} more in the JSON report.</p>` : '';
  return `<table>${head}${body}</table>${more}`;
}

/** The report as one self-contained HTML page (inline CSS and SVG charts, no scripts). */
export function reportHtml(r: DrillReport): string {
  const run = r.run;
  const summary = METRICS.map((m) => {
    const s = r.overall[m];
    return `<tr><td>${LABEL[m]}</td><td>${NFPA_TARGETS[m].seconds}</td><td>${s.sim.n}</td><td>${fmt(s.sim.p50)}</td><td>${fmt(s.sim.p90)}</td><td>${pct(s.sim.withinTarget)}</td><td class="h">${s.hist.n}</td><td class="h">${fmt(s.hist.p50)}</td><td class="h">${fmt(s.hist.p90)}</td><td class="h">${pct(s.hist.withinTarget)}</td><td class="src">${esc(NFPA_TARGETS[m].source)}</td></tr>`;
  }).join('');
  const cmp = r.comparison
    ? `<h2>Policy comparison: ${esc(r.comparison.a.policy)} (A) vs ${esc(r.comparison.b.policy)} (B)</h2>
<p>Runs ${esc(r.comparison.a.id)} and ${esc(r.comparison.b.id)}, same calls.</p>
<table><tr><th>metric</th><th>A p50</th><th>A p90</th><th>B p50</th><th>B p90</th><th>B − A p90 (s)</th></tr>${METRICS.map((m) => {
        const c = r.comparison!.metrics[m];
        return `<tr><td>${LABEL[m]}</td><td>${fmt(c.a.p50)}</td><td>${fmt(c.a.p90)}</td><td>${fmt(c.b.p50)}</td><td>${fmt(c.b.p90)}</td><td>${c.deltaP90 === null ? '–' : c.deltaP90.toFixed(1)}</td></tr>`;
      }).join('')}</table>`
    : '';
  const util = r.utilisation
    .slice(0, 30)
    .map((u) => `<tr><td>${esc(u.unitId)}</td><td>${esc(u.unitType)}</td><td>${u.simResponses}</td><td><span class="bar" style="width:${Math.round(u.simShare * 200)}px"></span> ${pct(u.simShare)}</td><td class="h">${u.histResponses}</td><td class="h">${pct(u.histShare)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>After-action report ${esc(run.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1400px}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #cbd5e0;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}.h{color:#4a5568;background:#f7fafc}.src{text-align:left;font-size:12px;color:#4a5568}svg text{font-size:12px}svg .v{font-size:11px}.legend{font-size:12px;color:#4a5568}.bar{display:inline-block;height:10px;background:#2b6cb0}</style></head><body>
<h1>After-action report: drill ${esc(run.id)}</h1>
<p>Scenario <b>${esc(run.scenario)}</b>, ${esc(run.day)}${run.toDay !== run.day ? ` to ${esc(run.toDay)}` : ''}, policy <b>${esc(run.policy)}</b>, seed ${esc(run.seed)}, speed ${esc(run.speed)}; ${run.posted !== undefined && run.posted !== run.calls ? `${esc(run.posted)} of ${esc(run.calls)} calls posted` : `${esc(run.calls)} calls`}, state ${esc(run.state)}, wall ${esc(run.wallSeconds)} s. Event log sha256 <code>${esc(run.eventLogHash)}</code>.</p>
<h2>Response intervals against NFPA targets (simulated vs historical, same calls)</h2>
${p90Chart(r.overall)}
<table><tr><th>interval</th><th>target p90 (s)</th><th>sim n</th><th>sim p50</th><th>sim p90</th><th>sim within target</th><th>hist n</th><th>hist p50</th><th>hist p90</th><th>hist within target</th><th>source</th></tr>${summary}</table>
${cmp}
<h2>Calls, coverage gaps and escalations per hour</h2>
${timelineChart(r.timeline)}
<h2>By call type</h2>${statsTable('call type', r.byType)}
<h2>By priority</h2>${statsTable('priority', r.byPriority)}
<h2>By district</h2>${statsTable('district', r.byDistrict)}
<h2>By street</h2>${statsTable('street', r.byStreet)}
<h2>Unit utilisation (busy from dispatch to available, share of the drill span)</h2>
<table><tr><th>unit</th><th>type</th><th>sim responses</th><th>sim busy</th><th>hist responses</th><th>hist busy</th></tr>${util}</table>
<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>`;
}
