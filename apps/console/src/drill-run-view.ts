/**
 * The drill dialog's pieces as HTML (drill.ts): one run with its state, progress bar, controls and
 * report link; and the list of other runs. Pure functions of `GET /api/drills/:id` views, so a spec
 * checks them without a browser.
 */
import { esc } from './format';
import { t } from './i18n';

/** A drill run as `GET /api/drills/:id` answers it (the fields the dialog shows). */
export interface DrillRunView {
  id: string;
  state: 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | string;
  day?: string;
  toDay?: string;
  speed?: number | 'max';
  /** Every speed the run was set to, in order (its start, then each change). */
  speedHistory?: { simTime: string; speed: number | 'max' }[];
  policy?: string;
  error?: string | null;
  calls?: number;
  posted?: number;
  refused?: number;
  simStart?: string;
  simTime?: string;
  simEnd?: string;
  /** Share of the simulated span played, 0..1. */
  progress?: number;
}

/** The speeds a run was played at, in order (`60× → max`); the current speed alone while it kept one. */
function speedsText(run: DrillRunView): string {
  const one = (s: number | 'max' | string): string => (s === 'max' ? t('drill.max') : `${s}×`);
  const seq = (run.speedHistory ?? []).map((c) => String(c.speed)).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  return seq.length > 1 ? seq.map(one).join(' → ') : one(String(run.speed ?? ''));
}

/** The report page of a run, at its own URL: the console's `drill-report.html`, served at this path. */
export function reportUrl(id: string): string {
  return `/drills/${encodeURIComponent(id)}/report`;
}

/** Speeds offered (simulated seconds per real second), and `max`. */
const SPEEDS = ['10', '60', '300', '1000', 'max'];

/** True while a run can still change (its controls are offered); ended runs are final. */
export function isActive(run: Pick<DrillRunView, 'state'>): boolean {
  return run.state === 'running' || run.state === 'paused';
}

/** The run's progress as a share 0..1: a finished run is whole, whatever the last poll said. */
export function progressShare(run: Pick<DrillRunView, 'state' | 'progress'>): number {
  if (run.state === 'finished') return 1;
  const p = typeof run.progress === 'number' && Number.isFinite(run.progress) ? run.progress : 0;
  return Math.min(1, Math.max(0, p));
}

/** The state in words (a state no locale names is shown as it is). */
function stateText(state: string): string {
  return t(`drill.state.${state}`, { defaultValue: state });
}

/**
 * One run: state badge, day and policy, progress bar with simulated time over the span and calls
 * placed, then (while it runs, for a commander) speed, pause or resume and stop; once ended, the
 * report link. `when` formats simulated instants (epoch ms) in the city's time zone.
 */
export function drillRunHtml(run: DrillRunView, mayControl: boolean, when: (ms: number) => string): string {
  const share = progressShare(run);
  const pct = Math.round(share * 100);
  const sim = run.simTime ? Date.parse(run.simTime) : NaN;
  const from = run.simStart ? Date.parse(run.simStart) : NaN;
  const to = run.simEnd ? Date.parse(run.simEnd) : NaN;
  // A finished run says so over its span; any other shows its clock within the span (a clock a poll caught
  // past the end, or before the start, is shown at that end).
  const simText =
    Number.isFinite(sim) && Number.isFinite(from) && Number.isFinite(to)
      ? run.state === 'finished'
        ? t('drill.simFinished', { from: when(from), to: when(to) })
        : t('drill.simTime', { now: when(Math.min(Math.max(sim, from), to)), from: when(from), to: when(to) })
      : '';
  const calls = t('drill.callsPlaced', { posted: run.posted ?? 0, count: run.calls ?? 0 });
  const refused = run.refused ? ` · ${esc(t('drill.callsRefused', { count: run.refused }))}` : '';
  const policy = run.policy ? esc(t(run.policy === 'optimised' ? 'drill.policyOptimised' : run.policy === 'moveups' ? 'drill.policyMoveups' : 'drill.policyNearest')) : '';
  const speed = String(run.speed ?? '');
  const controls =
    mayControl && isActive(run)
      ? `<div class="drill-controls"><label><span>${esc(t('drill.speed'))}</span> <select data-drill-speed="1">${SPEEDS.map(
          (s) => `<option value="${s}"${s === speed ? ' selected' : ''}>${s === 'max' ? esc(t('drill.max')) : `${s}×`}</option>`,
        ).join('')}</select></label>${
          run.state === 'paused'
            ? `<button type="button" class="primary" data-drill-cmd="resume">${esc(t('drill.resume'))}</button>`
            : `<button type="button" data-drill-cmd="pause">${esc(t('drill.pause'))}</button>`
        }<button type="button" class="danger" data-drill-cmd="stop">${esc(t('drill.stop'))}</button></div>`
      : '';
  const report = isActive(run) ? '' : `<a class="drill-report-link" href="${esc(reportUrl(run.id))}" target="_blank" rel="noopener">${esc(t('drill.openReport'))}</a>`;
  return `<div class="drill-run" data-drill-id="${esc(run.id)}" data-state="${esc(run.state)}">
<div class="drill-run-l1"><span class="drill-state" data-state="${esc(run.state)}">${esc(stateText(run.state))}</span> <b>${esc(run.day ?? '')}${run.toDay && run.toDay !== run.day ? ` – ${esc(run.toDay)}` : ''}</b> <span class="muted">${policy}${speed ? ` · ${esc(speedsText(run))}` : ''}</span></div>
<div class="drill-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}" aria-label="${esc(t('drill.progress'))}"><div class="drill-progress-bar" style="width:${pct}%"></div><span class="drill-progress-pct">${pct} %</span></div>
<div class="drill-progress-text muted">${esc(simText)}${simText ? ' · ' : ''}${esc(calls)}${refused}</div>
${controls}${report}</div>`;
}

/**
 * How the dialog lays out the runs besides the one shown at the top (`currentId`): every other run still
 * running or paused is shown in full with its own controls (`active`: never hidden under "Earlier drills",
 * where it could not be paused or stopped), the ended ones are listed (`earlier`, newest first as given).
 */
export function otherRuns<T extends Pick<DrillRunView, 'id' | 'state'>>(runs: readonly T[], currentId: string | null): { active: T[]; earlier: T[] } {
  const others = runs.filter((r) => r.id !== currentId);
  return { active: others.filter(isActive), earlier: others.filter((r) => !isActive(r)) };
}

/** The other runs, newest first: state, day, and a button to show each (ended ones link their report). */
export function drillRunsHtml(runs: readonly DrillRunView[]): string {
  if (!runs.length) return '';
  return `<h4>${esc(t('drill.earlier'))}</h4><ul>${runs
    .map(
      (r) =>
        `<li data-drill-id="${esc(r.id)}"><button type="button" class="link" data-drill-show="${esc(r.id)}">${esc(r.day ?? r.id)}</button> <span class="drill-state" data-state="${esc(r.state)}">${esc(stateText(r.state))}</span>${
          isActive(r) ? '' : ` <a href="${esc(reportUrl(r.id))}" target="_blank" rel="noopener">${esc(t('drill.report'))}</a>`
        }</li>`,
    )
    .join('')}</ul>`;
}
