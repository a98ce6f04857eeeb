/**
 * Acknowledgement alerts (issue 26): a task its crew has not acknowledged at the first timeout is
 * listed over the map with a beep, a countdown to the automatic replacement, and the dispatcher's
 * three answers: page again, replace now (out of service, escalate), take out of service (another
 * unit from the same tier). Loaded from `GET /api/ack-alerts`, kept by live events.
 */
import { request } from './api';
import { beep } from './alert';
import { esc, mmss } from './format';
import { t } from './i18n';
import { AlertOverlay, incidentPlace } from './alert-overlay';
import { LiveRead } from './state/live-read';
import type { CadEvent, Incident } from './types';
import type { AckOverduePayload } from '@cad/domain/events';
import './ack-alerts.css';

/** What the alert list needs from the console. */
export interface AckAlertsHost {
  /** The open incident of an id, if the console holds it (for its type and address). */
  incident: (id: string) => Incident | undefined;
  toast: (text: string, error?: boolean) => void;
  /** Opens an incident's detail. */
  open: (incidentId: string) => void;
}

const alerts = new Map<string, AckOverduePayload>();
let box: AlertOverlay | null = null;
/** The list's read over REST: an event that arrives while it is in flight is applied again after it. */
const reads = new LiveRead<CadEvent>();
let host: AckAlertsHost | null = null;

/** Counts shown alerts and beeps (read by tests through `window.__cadConsole`). */
export const ackAlertStats = { shown: 0 };

/** Creates the alert list over the map and loads the open alerts; redraws every second (the countdowns). */
export function setUpAckAlerts(h: AckAlertsHost): void {
  host = h;
  box = new AlertOverlay('ack-alerts', 'ack-alerts', (target) => {
    const b = target.closest<HTMLButtonElement>('button[data-ack-action]');
    if (b) void act(b.dataset.assignmentId!, b.dataset.ackAction as AckAction, b);
    else {
      const row = target.closest<HTMLElement>('[data-incident-id]');
      if (row) h.open(row.dataset.incidentId!);
    }
  });
  void reloadAckAlerts();
  window.setInterval(render, 1000);
}

/** Loads the open alerts again (at start and after a resync). */
export async function reloadAckAlerts(): Promise<void> {
  try {
    await reads.run(
      () => request<AckOverduePayload[]>('GET', '/api/ack-alerts'),
      (list) => {
        alerts.clear();
        for (const a of list) alerts.set(a.assignmentId, a);
      },
      // What happened while the list was being read is newer than it: an alert raised (it already beeped), or ended.
      (live) => live.forEach((ev) => applyAckEvent(ev, false)),
    );
    render();
  } catch {
    // An older server has no acknowledgement alerts: nothing to show.
  }
}

/**
 * Takes a live event: `assignment.ack_overdue` adds an alert (with a beep); a re-page, or the task
 * acknowledged or taken back (`assignment.updated` out of `dispatched`), ends it.
 */
export function noteAckEvent(ev: CadEvent): void {
  if (!applyAckEvent(ev, true)) return;
  reads.note(ev);
  render();
}

/** Applies one event to the alerts (beeping for a new one when `beeps`); false when it is not about them. */
function applyAckEvent(ev: CadEvent, beeps: boolean): boolean {
  if (ev.type === 'assignment.ack_overdue') {
    const p = ev.payload;
    if (!alerts.has(p.assignmentId) && beeps) {
      ackAlertStats.shown++;
      beep();
    }
    alerts.set(p.assignmentId, p);
  } else if (ev.type === 'assignment.repaged') {
    alerts.delete(ev.payload.assignmentId);
  } else if (ev.type === 'assignment.updated') {
    const a = ev.payload.assignment;
    if (a.status !== 'dispatched') alerts.delete(a.id);
  } else return false;
  return true;
}

type AckAction = 'repage' | 'replace' | 'out-of-service';

async function act(assignmentId: string, action: AckAction, button: HTMLButtonElement): Promise<void> {
  const a = alerts.get(assignmentId);
  if (!a || !host) return;
  if (action !== 'repage' && !window.confirm(t(action === 'replace' ? 'ackAlert.confirmReplace' : 'ackAlert.confirmOutOfService', { unit: a.unitId }))) return;
  button.disabled = true;
  try {
    await request('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/${action}`);
    alerts.delete(assignmentId);
    host.toast(t(`ackAlert.done.${action}`, { unit: a.unitId }));
  } catch (err) {
    host.toast((err as Error).message, true);
    button.disabled = false;
  }
  render();
}

function render(): void {
  if (!box || !host) return;
  const now = Date.now();
  const whenOf = (a: AckOverduePayload) => {
    const left = Date.parse(a.replaceAt) - now;
    return left > 0 ? t('ackAlert.replacedIn', { time: mmss(left) }) : t('ackAlert.replacing');
  };
  const rows = [...alerts.values()].map((a) => {
    const where = incidentPlace(host!.incident(a.incidentId));
    const button = (action: AckAction, key: string) => `<button type="button" data-ack-action="${action}" data-assignment-id="${esc(a.assignmentId)}">${esc(t(key))}</button>`;
    return {
      key: `${a.assignmentId}@${a.replaceAt}:${where}`,
      html: `<div class="ack-alert" data-assignment-id="${esc(a.assignmentId)}" data-incident-id="${esc(a.incidentId)}">
<div class="ack-alert-l1"><b>${esc(t('ackAlert.notAcknowledged', { unit: a.unitId, seconds: a.timeoutS }))}</b></div>
<div class="ack-alert-l2">${where} <span class="ack-alert-when">${esc(whenOf(a))}</span></div>
<div class="ack-alert-actions">${button('repage', 'ackAlert.repage')}${button('replace', 'ackAlert.replace')}${button('out-of-service', 'ackAlert.outOfService')}</div></div>`,
    };
  });
  // The same alerts: only their countdowns move.
  box.draw(esc(t('ackAlert.title')), rows, (el) => {
    for (const a of alerts.values()) {
      const when = el.querySelector(`.ack-alert[data-assignment-id="${CSS.escape(a.assignmentId)}"] .ack-alert-when`);
      if (when) when.textContent = whenOf(a);
    }
  });
}
