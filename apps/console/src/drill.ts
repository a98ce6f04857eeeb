/**
 * Drill control on the console (issue 26 part 7): start a replay of a historical day at a speed, and
 * watch the run in the same dialog: its state, a progress bar (simulated time over the day's span, calls
 * placed), speed and pause/resume, stop; once it has ended, the finished (or stopped, failed) state and
 * a link to its after-action report at its own URL (`/drills/<id>/report`, the console's report page).
 * Errors (a refused start, a failed run) are shown in the dialog, not behind it. The dialog polls
 * `GET /api/drills/:id` once a second while it is open. Only a city commander may start or control a
 * drill (the server refuses others with 403); others watch.
 */
import { request } from './api';
import { currentUser } from './auth';
import { dateTime } from './format';
import { t } from './i18n';
import { toolbarDialog } from './open-page';
import { drillRunHtml, drillRunsHtml, otherRuns, type DrillRunView } from './drill-run-view';
import './drill-dialog.css';
import { drillName } from './drill-names';
import { LatestRead } from './state/live-read';

const POLL_MS = 1000;

/** Wires the Drill button and dialog (created here) to the `/api/drills` endpoints. */
export function setUpDrillControl(toast: (text: string, error?: boolean) => void): void {
  const { btn, dlg } = toolbarDialog('drill', 'drill', `<form method="dialog" class="drill-form">
    <header class="drill-head"><h3 data-i18n="drill.title"></h3><button value="close" class="drill-close" data-i18n-title="common.close" aria-label="×">×</button></header>
    <p id="drill-error" class="drill-error" role="alert" hidden></p>
    <section id="drill-current" class="drill-current" aria-live="polite"></section>
    <fieldset id="drill-new" class="drill-new">
      <legend data-i18n="drill.newRun"></legend>
      <label><span data-i18n="drill.day"></span> <input id="drill-day" type="date" value="2017-01-01" /></label>
      <label><span data-i18n="drill.speed"></span> <select id="drill-speed"><option>10</option><option selected>60</option><option>300</option><option>1000</option><option value="max" data-i18n="drill.max"></option></select></label>
      <label><span data-i18n="drill.policy"></span> <select id="drill-policy"><option value="nearest" data-i18n="drill.policyNearest"></option><option value="optimised" data-i18n="drill.policyOptimised"></option><option value="moveups" data-i18n="drill.policyMoveups"></option></select></label>
      <label><span data-i18n="drill.limit"></span> <input id="drill-limit" type="number" min="1" data-i18n-placeholder="drill.limitAll" /></label>
      <button id="drill-start" type="button" class="primary" data-i18n="drill.start"></button>
    </fieldset>
    <section id="drill-runs" class="drill-runs"></section>
  </form>`);
  dlg.classList.add('drill-dialog');
  const $ = <T extends HTMLElement>(sel: string) => dlg.querySelector<T>(sel)!;
  const mayControl = () => currentUser()?.role === 'city_commander';
  /** The run shown at the top: the one started here, else the newest running or paused, else the newest. */
  let currentId: string | null = null;
  let timer: number | null = null;

  const showError = (text: string | null) => {
    $('#drill-error').textContent = text ?? '';
    $('#drill-error').hidden = !text;
  };

  // Only the latest redraw lands: a poll's list read before a run just started would choose another run.
  const reads = new LatestRead();
  const render = async () => {
    const ticket = reads.start();
    try {
      const runs = await request<DrillRunView[]>('GET', '/api/drills');
      if (!reads.current(ticket)) return;
      if (!currentId || !runs.some((r) => r.id === currentId)) currentId = (runs.find((r) => r.state === 'running' || r.state === 'paused') ?? runs[0])?.id ?? null;
      const run = currentId ? await request<DrillRunView>('GET', `/api/drills/${encodeURIComponent(currentId)}`) : null;
      // Every other running or paused drill is shown in full, with its own controls; ended ones are listed.
      const { active, earlier } = otherRuns(runs, currentId);
      const alsoRunning = await Promise.all(active.map((r) => request<DrillRunView>('GET', `/api/drills/${encodeURIComponent(r.id)}`)));
      if (!reads.current(ticket)) return;
      $('#drill-current').innerHTML = [run, ...alsoRunning].filter((r): r is DrillRunView => !!r).map((r) => drillRunHtml(r, mayControl(), dateTime)).join('');
      $('#drill-current').hidden = !run;
      $('#drill-runs').innerHTML = drillRunsHtml(earlier.slice(0, 5));
      $('#drill-new').hidden = !mayControl();
      if (run?.state === 'failed' && run.error) showError(t('drill.failedWith', { error: run.error }));
    } catch (err) {
      showError((err as Error).message);
    }
  };

  const poll = () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
    if (!dlg.open) return;
    void render().finally(() => {
      if (dlg.open) timer = window.setTimeout(poll, POLL_MS);
    });
  };

  /** Sends a control request for the run whose controls `from` belongs to, then redraws; a refusal is shown in the dialog. */
  const control = (from: HTMLElement, method: 'POST' | 'PATCH', path: string, body?: unknown) => {
    const id = from.closest<HTMLElement>('.drill-run[data-drill-id]')?.dataset.drillId ?? currentId;
    if (!id) return;
    showError(null);
    request(method, `/api/drills/${encodeURIComponent(id)}${path}`, body)
      .then(() => render())
      .catch((err: Error) => showError(err.message));
  };

  dlg.addEventListener('click', (e) => {
    const el = e.target as HTMLElement;
    const b = el.closest<HTMLElement>('[data-drill-cmd]');
    if (b?.dataset.drillCmd === 'pause') control(b, 'POST', '/pause');
    if (b?.dataset.drillCmd === 'resume') control(b, 'POST', '/resume');
    if (b?.dataset.drillCmd === 'stop') control(b, 'POST', '/stop');
    const pick = el.closest<HTMLElement>('[data-drill-show]');
    if (pick) {
      currentId = pick.dataset.drillShow!;
      showError(null);
      void render();
    }
  });
  dlg.addEventListener('change', (e) => {
    const sel = (e.target as HTMLElement).closest<HTMLSelectElement>('select[data-drill-speed]');
    if (sel) control(sel, 'PATCH', '', { speed: sel.value === 'max' ? 'max' : Number(sel.value) });
  });
  $('#drill-start').addEventListener('click', () => {
    const speedRaw = $<HTMLSelectElement>('#drill-speed').value;
    const limit = $<HTMLInputElement>('#drill-limit').value;
    const body = {
      day: $<HTMLInputElement>('#drill-day').value,
      speed: speedRaw === 'max' ? 'max' : Number(speedRaw),
      policy: $<HTMLSelectElement>('#drill-policy').value,
      ...(limit ? { limit: Number(limit) } : {}),
    };
    showError(null);
    request<DrillRunView>('POST', '/api/drills', body)
      .then((r) => {
        currentId = r.id;
        toast(t('drill.started', { id: drillName(r.id) }));
        return render();
      })
      .catch((err: Error) => showError(err.message));
  });
  btn.addEventListener('click', () => {
    showError(null);
    dlg.showModal();
    poll();
  });
  dlg.addEventListener('close', () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
  });
}
