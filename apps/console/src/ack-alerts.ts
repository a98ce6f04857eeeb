/**
 * Acknowledgement alerts (issue 26): a task its crew has not acknowledged at the first timeout is
 * listed over the map with a beep, a countdown to the automatic replacement, and the dispatcher's
 * three answers: page again, replace now (out of service, escalate), take out of service (another
 * unit from the same tier). Loaded from `GET /api/ack-alerts`, kept by live events.
 * A late acknowledgement (a crew whose reports arrived after the timer took its task back) is listed
 * in the same box, first, with a beep: the unit, the incident, what the crew says it is doing and since
 * when (its own tap time), the replacement, and two answers: give the task back (a replacement that
 * has not left is recalled) or keep the replacement and stand the crew down. Loaded from
 * `GET /api/late-ack-alerts`, kept by live events.
 */
import { request } from './api';
import { beep } from './alert';
import { esc, hms, label, mmss } from './format';
import { t } from './i18n';
import { AlertOverlay, incidentPlace } from './alert-overlay';
import { LiveRead } from './state/live-read';
import type { CadEvent, Incident } from './types';
import type { AckOverduePayload } from '@cad/domain/events';
import type { LateAckPayload } from '@cad/contracts/events';
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
/** Open late acknowledgements by task id. */
const lateAcks = new Map<string, LateAckPayload>();
let box: AlertOverlay | null = null;
/** The list's read over REST: an event that arrives while it is in flight is applied again after it. */
const reads = new LiveRead<CadEvent>();
/** The late acknowledgements' read over REST, likewise. */
const lateReads = new LiveRead<CadEvent>();
let host: AckAlertsHost | null = null;

/** Counts shown alerts and beeps (read by tests through `window.__cadConsole`). */
export const ackAlertStats = { shown: 0, lateShown: 0 };

/** Creates the alert list over the map and loads the open alerts; redraws every second (the countdowns). */
export function setUpAckAlerts(h: AckAlertsHost): void {
  host = h;
  box = new AlertOverlay('ack-alerts', 'ack-alerts', (target) => {
    const b = target.closest<HTMLButtonElement>('button[data-ack-action]');
    const late = target.closest<HTMLButtonElement>('button[data-late-action]');
    if (late) void actOnLate(late.dataset.assignmentId!, late.dataset.lateAction as LateAction, late);
    else if (b) void act(b.dataset.assignmentId!, b.dataset.ackAction as AckAction, b);
    else {
      const row = target.closest<HTMLElement>('[data-incident-id]');
      if (row) h.open(row.dataset.incidentId!);
    }
  });
  void reloadAckAlerts();
  window.setInterval(render, 1000);
}

/** Loads the open alerts again (at start and after a resync); the late acknowledgements beside them, never holding them up. */
export async function reloadAckAlerts(): Promise<void> {
  void reloadList(lateReads, '/api/late-ack-alerts', lateAcks);
  await reloadList(reads, '/api/ack-alerts', alerts);
}

/**
 * Reads one list of alerts (`GET path`) into `into`, by task. What happened while it was being read is
 * newer than it: an alert raised (it already beeped) or ended, applied again after it. An older server
 * without such alerts leaves the list as it is.
 */
async function reloadList<T extends { assignmentId: string }>(listReads: LiveRead<CadEvent>, path: string, into: Map<string, T>): Promise<void> {
  try {
    await listReads.run(
      () => request<T[]>('GET', path),
      (list) => {
        into.clear();
        for (const a of list) into.set(a.assignmentId, a);
      },
      (live) => live.forEach((ev) => applyAckEvent(ev, false)),
    );
    render();
  } catch {
    // An older server has no such alerts: nothing to show.
  }
}

/**
 * Takes a live event: `assignment.ack_overdue` adds an alert (with a beep); a re-page, or the task
 * acknowledged or taken back (`assignment.updated` out of `dispatched`), ends it. `assignment.late_ack`
 * adds (with a beep) or updates a late acknowledgement; its answer (`assignment.late_ack_decided`), the
 * task given back, or its unit put back in service by hand ends it.
 */
export function noteAckEvent(ev: CadEvent): void {
  if (!applyAckEvent(ev, true)) return;
  reads.note(ev);
  lateReads.note(ev);
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
    // Given back (by the dispatcher here or elsewhere): the late acknowledgement is answered.
    if (!a.releasedReason) lateAcks.delete(a.id);
  } else if (ev.type === 'assignment.late_ack') {
    const p = ev.payload;
    if (!lateAcks.has(p.assignmentId) && beeps) {
      ackAlertStats.lateShown++;
      beep();
    }
    lateAcks.set(p.assignmentId, p);
  } else if (ev.type === 'assignment.late_ack_decided') {
    lateAcks.delete(ev.payload.assignmentId);
  } else if (ev.type === 'unit.status') {
    // The unit put back in service or sent elsewhere by hand: nothing awaits the answer any more.
    const p = ev.payload;
    const held = [...lateAcks.values()].filter((a) => a.unitId === p.unitId);
    if (!held.length || p.status === 'out_of_service') return false;
    for (const a of held) lateAcks.delete(a.assignmentId);
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

type LateAction = 'give-back' | 'stand-down';

async function actOnLate(assignmentId: string, action: LateAction, button: HTMLButtonElement): Promise<void> {
  const a = lateAcks.get(assignmentId);
  if (!a || !host) return;
  const replacement = a.replacements.filter((r) => r.status !== 'cleared').map((r) => r.unitId).join(', ') || '—';
  if (!window.confirm(t(action === 'give-back' ? 'ackAlert.confirmGiveBack' : 'ackAlert.confirmStandDown', { unit: a.unitId, replacement }))) return;
  button.disabled = true;
  try {
    await request('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/${action}`);
    lateAcks.delete(assignmentId);
    host.toast(t(`ackAlert.done.${action}`, { unit: a.unitId }));
  } catch (err) {
    host.toast((err as Error).message, true);
    button.disabled = false;
  }
  render();
}

/**
 * The row of a late acknowledgement: who, what the crew says it is doing since its own tap time, when
 * the report arrived and the task was taken back, the replacement and where its task stands, and the
 * two answers. Exported for its spec.
 */
export function lateAckRow(a: LateAckPayload, where: string): string {
  const button = (action: LateAction, key: string) => `<button type="button" data-late-action="${action}" data-assignment-id="${esc(a.assignmentId)}">${esc(t(key))}</button>`;
  const replacements = a.replacements.filter((r) => r.status !== 'cleared');
  const replacement = replacements.length
    ? replacements.map((r) => t('ackAlert.lateReplacement', { unit: r.unitId, status: label(r.status) })).join(', ')
    : t('ackAlert.lateNoReplacement');
  return `<div class="ack-alert late-ack" data-late-assignment-id="${esc(a.assignmentId)}" data-incident-id="${esc(a.incidentId)}">
<div class="ack-alert-l1"><b>${esc(t('ackAlert.lateAck', { unit: a.unitId, status: label(a.reported), at: hms(Date.parse(a.reportedAt)) }))}</b></div>
<div class="ack-alert-l2">${where} <span>${esc(t('ackAlert.lateAckWhen', { received: hms(Date.parse(a.receivedAt)), takenBack: hms(Date.parse(a.takenBackAt)) }))}</span></div>
<div class="ack-alert-l2">${esc(replacement)}</div>
<div class="ack-alert-actions">${button('give-back', 'ackAlert.giveBack')}${button('stand-down', 'ackAlert.standDown')}</div></div>`;
}

function render(): void {
  if (!box || !host) return;
  const now = Date.now();
  const whenOf = (a: AckOverduePayload) => {
    const left = Date.parse(a.replaceAt) - now;
    return left > 0 ? t('ackAlert.replacedIn', { time: mmss(left) }) : t('ackAlert.replacing');
  };
  const late = [...lateAcks.values()].map((a) => {
    const where = incidentPlace(host!.incident(a.incidentId));
    return { key: `late:${a.assignmentId}@${a.reportedAt}:${a.replacements.map((r) => r.status).join()}:${where}`, html: lateAckRow(a, where) };
  });
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
  box.draw(esc(t('ackAlert.title')), [...late, ...rows], (el) => {
    for (const a of alerts.values()) {
      const when = el.querySelector(`.ack-alert[data-assignment-id="${CSS.escape(a.assignmentId)}"] .ack-alert-when`);
      if (when) when.textContent = whenOf(a);
    }
  });
}
