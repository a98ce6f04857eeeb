/**
 * On-scene welfare (PAR) alerts (issue 26): the running PAR timers of the dispatcher's incidents
 * (`GET /api/par`, reloaded when a unit arrives on scene or a PAR is recorded); a timer that falls due
 * is shown over the map with a beep and a **PAR done** button that records it and resets the timer.
 */
import { request } from './api';
import { beep } from './alert';
import { esc, mmss } from './format';
import { t } from './i18n';
import { AlertOverlay, incidentPlace } from './alert-overlay';
import type { CadEvent, Incident } from './types';
import type { ParTimer } from '@cad/domain/unit-messages';

let timers: ParTimer[] = [];
let box: AlertOverlay | null = null;
let incidentOf: (id: string) => Incident | undefined = () => undefined;
let say: (text: string, error?: boolean) => void = () => undefined;
/** The due PAR alerts already raised (beeped), by incident and due time: a timer due again is a new alert. */
let alerted = new Set<string>();
let reloadTimer: number | null = null;
/** Counts the timer reads: only the latest one started is adopted (an older one may predate a PAR just recorded). */
let reads = 0;

/** Counts PAR alerts raised (read by tests through `window.__cadConsole`). */
export const parAlertStats = { shown: 0 };

/** Creates the alert list over the map, loads the timers and checks them every second. */
export function setUpParAlerts(incident: (id: string) => Incident | undefined, toast: (text: string, error?: boolean) => void): void {
  incidentOf = incident;
  say = toast;
  box = new AlertOverlay('par-alerts', 'ack-alerts par-alerts', (target) => {
    const b = target.closest<HTMLButtonElement>('button[data-par-done]');
    if (b) void done(b.dataset.parDone!, b);
  });
  void reloadParTimers();
  window.setInterval(render, 1000);
}

/** Loads the running timers again (at start, after a resync, and on the events that move them). */
export async function reloadParTimers(): Promise<void> {
  const mine = ++reads;
  try {
    const list = await request<ParTimer[]>('GET', '/api/par');
    if (mine !== reads) return;
    timers = list;
  } catch {
    // An older server has no PAR timers.
  }
  render();
}

/** Takes a live event: a unit on scene, a PAR recorded or an incident update reloads the timers (debounced). */
export function noteParEvent(ev: CadEvent): void {
  const moves =
    ev.type === 'incident.par' || ev.type === 'incident.updated' || (ev.type === 'assignment.updated' && ev.payload.assignment.status === 'on_scene');
  if (!moves || reloadTimer !== null) return;
  reloadTimer = window.setTimeout(() => {
    reloadTimer = null;
    void reloadParTimers();
  }, 300);
}

async function done(incidentId: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const next = await request<ParTimer>('POST', `/api/incidents/${encodeURIComponent(incidentId)}/par`);
    // A read of the timers in flight may predate this PAR: it would bring the alert back.
    reads++;
    timers = timers.map((x) => (x.incidentId === incidentId ? next : x));
    say(t('par.recorded'));
  } catch (err) {
    say((err as Error).message, true);
    button.disabled = false;
  }
  render();
}

function render(): void {
  if (!box) return;
  const now = Date.now();
  const due = timers.filter((x) => x.dueAt && Date.parse(x.dueAt) <= now);
  // Keyed by due time, and forgotten once not due: a PAR recorded on another console moves the timer,
  // and its next due time beeps here too.
  const dueNow = new Set(due.map((x) => `${x.incidentId}@${x.dueAt}`));
  for (const key of dueNow) {
    if (alerted.has(key)) continue;
    parAlertStats.shown++;
    beep();
  }
  alerted = dueNow;
  const overdue = (x: ParTimer) => t('par.overdueBy', { time: mmss(now - Date.parse(x.dueAt!)) });
  const rows = due.map((x) => {
    const where = incidentPlace(incidentOf(x.incidentId));
    return {
      key: `${x.incidentId}@${x.dueAt}:${where}`,
      html: `<div class="ack-alert" data-incident-id="${esc(x.incidentId)}"><div class="ack-alert-l1"><b>${esc(t('par.due'))}</b> ${where}</div>
<div class="ack-alert-l2"><span class="ack-alert-when">${esc(overdue(x))}</span></div>
<div class="ack-alert-actions"><button type="button" data-par-done="${esc(x.incidentId)}">${esc(t('par.done'))}</button></div></div>`,
    };
  });
  // The same alerts: only their times move.
  box.draw(esc(t('par.title')), rows, (el) => {
    for (const x of due) {
      const when = el.querySelector(`.ack-alert[data-incident-id="${CSS.escape(x.incidentId)}"] .ack-alert-when`);
      if (when) when.textContent = overdue(x);
    }
  });
}
