/**
 * Responder mobile page (`/responder`): sign in as your unit, see the current task, acknowledge and report
 * status with one tap (queued offline, sent in order with the original times), see the route, and
 * report the phone's position as AVL.
 */
import 'leaflet/dist/leaflet.css';
import './responder.css';
import { io } from 'socket.io-client';
import { ApiError, fetchOpenIncidents, fetchState, fetchUnits, fetchUnitTask, patchAssignment, setUnitStatus } from '../api';
import { currentUser, signIn, signOut, token } from '../auth';
import { NO_FEATURES, probeFeatures, type Features } from '../features';
import { bdi, capabilityLabel, esc, etaLeftText, hms, importedOutText, label, setTimeZone, typeLabel } from '../format';
import { addLocales, mountLocalePicker, onLocaleChange, t } from '../i18n';
import type { Assignment, CadEvent, UnitTask } from '../types';
import { ASSIGNMENT_FLOW } from '../types';
import { lateAckText, newestStatus, notAppliedText, Outbox, type OutboxItem, type SendResult } from './outbox';
import { refreshLocationAlerts } from './location-alert';
import { setUpDamageForm } from './damage-form';
import { refreshMessages, setUpMessages } from './messages';
import { refreshMoveUp, setUpMoveUp } from './move-up';
import { showCrewCallRecord } from './call-record';
import { cancelChoiceHtml, reasonOf, stepButtonsHtml } from './task-steps';
import { setUpPremiseAndHospital, showPremiseAndHospital } from './premise-hospital';
import { TaskFeed } from './task-feed';
import { drawTaskOnMap, moveSelf } from './task-map';
import { positionStats, startPositionReporting } from './position-report';
import { transportsPatients } from '@cad/domain/units';

const OUTBOX_KEY = 'cad.responder.outbox';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

// Every locale file of libs/i18n is bundled; the one the crew chose (or the phone prefers) is shown.
addLocales(import.meta.glob('../../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));
setUpDamageForm(() => feed.task?.incident.id ?? null);
setUpMessages($('r-messages'));
setUpMoveUp($('r-moveup'));
setUpPremiseAndHospital(message);

let features: Features = NO_FEATURES;
/** The unit's task and units: pushed events applied as they come, read over REST on (re)connect and resync. */
const feed = new TaskFeed(currentUser()?.unitId ?? null, async (id) => {
  const [task, units] = await Promise.all([loadTask(id), fetchUnits()]);
  return { task, units };
});

let online = navigator.onLine;
const outbox = new Outbox(OUTBOX_KEY, (item) => patchAssignment(item.assignmentId, item.status, item.at, item.id, item.cancelReason));

// ---- sign-in: a responder account crews one unit ----
function showSignIn(): void {
  $('r-main').hidden = true;
  $('r-picker').hidden = false;
  $('r-change').hidden = true;
  $<HTMLInputElement>('r-user').focus();
}
$('r-signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($<HTMLInputElement>('r-user').value.trim().toLowerCase(), $<HTMLInputElement>('r-password').value)
    .then((user) => {
      if (!user.unitId) {
        signOut();
        throw new Error(t('responder.noUnitAccount'));
      }
      feed.unitId = user.unitId;
      $<HTMLInputElement>('r-password').value = '';
      if (socket) socket.connect();
      void showMain();
    })
    .catch((err) => ($('r-signin-error').textContent = (err as Error).message));
});
$('r-change').addEventListener('click', () => {
  signOut();
  window.location.reload();
});
window.addEventListener('cad:signed-out', showSignIn);

// ---- task ----
/** The current task: from `GET /api/units/:id/assignment`, or found among open incidents on older servers. */
async function loadTask(id: string): Promise<UnitTask | null> {
  if (features.unitTask) return fetchUnitTask(id);
  const incidents = await fetchOpenIncidents();
  for (const incident of incidents) {
    const assignment = incident.assignments.find((a) => a.unitId === id && a.status !== 'cleared');
    if (assignment) return { assignment, incident };
  }
  return null;
}

let taskTimer: number | null = null;
function scheduleTaskReload(delay = 80): void {
  if (taskTimer !== null) return;
  taskTimer = window.setTimeout(() => {
    taskTimer = null;
    void reloadTask();
  }, delay);
}

/** Loads the unit's task and the units again and redraws; false when that failed (offline, refused). */
async function reloadTask(): Promise<boolean> {
  try {
    if (!(await feed.reload())) return false;
    render();
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) setOnline(false);
    else message(err.message);
    return false;
  }
}

/**
 * Per task, the newest status the server answered as recorded for this phone's reports. The task loaded
 * before the outbox flushed (or a reload read just before the report committed) still holds the older
 * status: without this, the card would flick back to it until the next reload.
 */
const recordedStatus = new Map<string, string>();

/** The status as the responder last set it: the newest of the queued changes, the server's answers to them, and the loaded task's. */
function effectiveStatus(a: Assignment): string {
  const queued = outbox.items().filter((x) => x.assignmentId === a.id);
  return newestStatus(ASSIGNMENT_FLOW, a.status, recordedStatus.get(a.id), queued[queued.length - 1]?.status) ?? a.status;
}

/** The status buttons for the task, or the cancel reasons when the crew tapped Cancel (see task-steps.ts). */
function actionButtons(a: Assignment): string {
  return cancelling === a.id ? cancelChoiceHtml() : stepButtonsHtml(effectiveStatus(a), features);
}
/** The task whose Cancel was tapped: its reasons are shown instead of the steps until one is chosen or Back. */
let cancelling: string | null = null;

function render(): void {
  const { task, unitId } = feed;
  const unit = feed.unit();
  $('r-callsign').textContent = unit?.callsign ?? unitId ?? '—';
  // The header follows the task (acknowledged, en route, …) while there is one; else the unit's status.
  const headerStatus = task ? effectiveStatus(task.assignment) : unit?.status;
  $('r-unit-status').textContent = headerStatus ? label(headerStatus) : '';
  $('r-unit-status').dataset.status = headerStatus ?? '';
  const pending = outbox.items().length;
  $('r-outbox').hidden = pending === 0;
  $('r-outbox').textContent = t('responder.toSend', { count: pending });
  $('r-damage').hidden = !task;
  if (!task) {
    // A unit out of service (taken off a task it did not acknowledge, or by hand) puts itself back.
    const oos = unit?.status === 'out_of_service';
    // Out of service since the import (its station not placed, its type unmapped): the crew is told why, and
    // cannot put itself back (only the import does).
    const imported = unit ? importedOutText(unit) : '';
    $('r-task').innerHTML = oos
      ? `<p class="no-task">${esc(t('responder.outOfService'))}<br><span class="muted">${esc(imported || t('responder.outOfServiceHint'))}</span></p>`
      : `<p class="no-task">${esc(t('responder.noTask'))}<br><span class="muted">${esc(t('responder.waiting'))}</span></p>`;
    $('r-task').dataset.assignmentId = '';
    $('r-actions').innerHTML = oos && !imported ? `<button type="button" class="status-btn big available" data-in-service="1">${esc(t('units.backInService'))}</button>` : '';
    drawTaskOnMap(null, unit);
    showCrewCallRecord(null);
    showPremiseAndHospital(null);
    return;
  }
  const { assignment: a, incident: inc } = task;
  const status = effectiveStatus(a);
  const notes = (inc.calls ?? []).map((c) => c.notes).filter(Boolean).map(bdi).join('\n');
  $('r-task').dataset.assignmentId = a.id;
  $('r-task').dataset.status = status;
  $('r-task').innerHTML = `<div class="task-l1"><span class="chip p${inc.priority}">P${inc.priority}</span>
  <b class="task-type">${bdi(typeLabel(inc.type))}</b>${inc.exercise ? `<span class="ex-tag">${esc(t('common.exercise'))}</span>` : ''}</div>
<div class="task-addr">${bdi(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
<div class="muted">${[inc.street?.name, inc.district?.name].filter(Boolean).map(bdi).join(' · ')}</div>
${notes ? `<p class="task-notes">${notes}</p>` : ''}
<div class="task-status">${esc(t('responder.task'))} <b class="task-status-value">${esc(label(status))}</b> · ${esc(capabilityLabel(a.capability))}<span class="task-eta"></span></div>`;
  showEtaLeft();
  $('r-actions').innerHTML = actionButtons(a);
  drawTaskOnMap(task, unit);
  showCrewCallRecord(inc.id, inc.type);
  showPremiseAndHospital({ incidentId: inc.id, assignmentId: a.id, status, capability: a.capability, transports: transportsPatients(unit?.unitType, a.capability) });
}

function message(text: string): void {
  $('r-message').textContent = text;
}

$('r-actions').addEventListener('click', (e) => {
  const { task, unitId } = feed;
  if ((e.target as HTMLElement).closest('button[data-in-service]') && unitId) {
    setUnitStatus(unitId, 'available')
      .then(() => reloadTask())
      .catch((err: Error) => message(t('responder.notAccepted', { error: err.message })));
    return;
  }
  const target = e.target as HTMLElement;
  if (task && target.closest('button[data-cancel-task]')) cancelling = task.assignment.id;
  if (target.closest('button[data-cancel-back]')) cancelling = null;
  const reason = reasonOf(target.closest<HTMLButtonElement>('button[data-cancel-reason]')?.dataset.cancelReason);
  if (reason && task) {
    cancelling = null;
    outbox.add(task.assignment.id, 'cleared', undefined, reason);
    void flush();
  }
  const btn = target.closest<HTMLButtonElement>('button[data-status]');
  if (!btn || !task || btn.disabled) return render();
  outbox.add(task.assignment.id, btn.dataset.status!);
  void flush(); // the request leaves before the page redraws
  render();
});

async function flush(): Promise<void> {
  const results: SendResult[] = await outbox.flush();
  let notApplied: OutboxItem | null = null;
  let lateAck: { reported: string; takenBackAt: string } | null = null;
  for (const r of results) {
    if (r.outcome === 'refused') message(t('responder.notAccepted', { error: r.message }));
    else {
      if (!r.applied) notApplied = r.item;
      if (r.takenBackAt) lateAck = { reported: r.item.status, takenBackAt: r.takenBackAt };
      const id = r.item.assignmentId;
      const status = newestStatus(ASSIGNMENT_FLOW, recordedStatus.get(id), r.applied ? r.item.status : undefined, r.recorded);
      if (status) recordedStatus.set(id, status);
    }
  }
  if (outbox.items().length && results.length === 0) setOnline(false);
  // Everything queued went through: the server answers, so the page is online now (not at the next socket event).
  else if (results.length && !outbox.items().length) setOnline(true);
  render();
  if (notApplied) {
    // A newer status stood on the server: show the task as it is there before saying so.
    const shown = await reloadTask();
    const { task } = feed;
    const inForce = task ? { assignmentId: task.assignment.id, status: effectiveStatus(task.assignment) } : null;
    // Reports that came after the timer took the task back: the dispatcher decides, and the crew is told so.
    if (lateAck) message(lateAckText(lateAck.reported, lateAck.takenBackAt, hms));
    else message(shown ? notAppliedText(notApplied, inForce) : t('responder.notAppliedNewer', { reported: label(notApplied.status) }));
  }
}

// ---- connection ----
function setOnline(on: boolean): void {
  online = on;
  const el = $('r-conn');
  el.dataset.state = on ? 'live' : 'offline';
  el.textContent = t(on ? 'responder.online' : 'responder.offline');
}
window.addEventListener('online', () => {
  setOnline(true);
  void flush();
  scheduleTaskReload(0);
});
window.addEventListener('offline', () => setOnline(false));
/**
 * The responder's ETA counts down: turnout + travel until en route, then travel from en route (issue
 * 20); gone on scene. One line, shown apart ("ETA 3:15 (turnout 1:10 + travel 2:05)") until the crew
 * is en route.
 */
function showEtaLeft(): void {
  const el = document.querySelector<HTMLElement>('#r-task .task-eta');
  const { task } = feed;
  if (!el || !task) return;
  const a = { ...task.assignment, status: effectiveStatus(task.assignment) };
  const line = etaLeftText(a, Date.now());
  el.textContent = line ? ` · ${line}` : '';
}
window.setInterval(showEtaLeft, 1000);

// Retry what is queued every 5 s (navigator.onLine is not reliable on every phone).
window.setInterval(() => {
  if (outbox.items().length) void flush();
}, 5000);

let socket: ReturnType<typeof io> | null = null;
function connect(): void {
  if (socket) return;
  socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], auth: (cb) => cb({ token: token() }) });
  socket.on('connect', () => {
    setOnline(true);
    // The responder needs the current state, not the history: a REST reload on every (re)connect.
    socket!.emit('subscribe', { lastSeq: null, unitId: feed.unitId });
    void flush();
    scheduleTaskReload(0);
    if (feed.unitId) void refreshLocationAlerts(feed.unitId, $('r-task'));
    if (feed.unitId) void refreshMessages(feed.unitId, $('r-messages'));
    void refreshMoveUp($('r-moveup'));
  });
  socket.on('disconnect', () => setOnline(false));
  socket.on('event', (ev: CadEvent) => {
    const { unitId } = feed;
    if (!unitId) return;
    // The pushed payload is applied; only what it cannot describe is read again over REST.
    const outcome = feed.apply(ev);
    if (outcome === 'applied') render();
    else if (outcome === 'reload') scheduleTaskReload();
    if (ev.unitId === unitId && ev.type === 'assignment.location_alert') void refreshLocationAlerts(unitId, $('r-task'));
    if (ev.unitId === unitId && ev.type === 'unit.message') void refreshMessages(unitId, $('r-messages'));
    if (ev.unitId === unitId && ev.type.startsWith('moveup.')) void refreshMoveUp($('r-moveup'));
  });
  socket.on('resync', () => scheduleTaskReload(0));
}

async function showMain(): Promise<void> {
  if (features === NO_FEATURES) features = await probeFeatures().catch(() => NO_FEATURES);
  $('r-picker').hidden = true;
  $('r-main').hidden = false;
  $('r-change').hidden = false;
  // Times are shown in the city's time zone, which the server names.
  await fetchState()
    .then((state) => setTimeZone(state.timeZone))
    .catch(() => undefined);
  render();
  await reloadTask();
  connect();
  startPositionReporting({ offered: features.unitPosition, unitId: () => feed.unitId, online: () => online, moveSelf }, $('r-position'));
}

// A change of language draws the page again.
onLocaleChange(() => {
  setOnline(online);
  if (!$('r-main').hidden) render();
});

async function start(): Promise<void> {
  setOnline(navigator.onLine);
  if (token()) features = await probeFeatures().catch(() => NO_FEATURES);
  if (token() && feed.unitId) await showMain();
  else showSignIn();
  (window as unknown as { __cadResponder: unknown }).__cadResponder = {
    outbox: () => outbox.items(),
    task: () => feed.task,
    features: () => features,
    positionsSent: () => positionStats.sent,
    socket: () => socket,
  };
}

void start();
