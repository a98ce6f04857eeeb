/**
 * Responder mobile page (`/responder`): sign in as your unit, see the current task, acknowledge and report
 * status with one tap (queued offline, sent in order with the original times), see the route, and
 * report the phone's position as AVL.
 */
import 'leaflet/dist/leaflet.css';
import './responder.css';
import L from 'leaflet';
import { io } from 'socket.io-client';
import { ApiError, fetchOpenIncidents, fetchState, fetchRoads, fetchUnits, fetchUnitTask, patchAssignment, postPosition, setUnitStatus } from '../api';
import { currentUser, signIn, signOut, token } from '../auth';
import { NO_FEATURES, probeFeatures, type Features } from '../features';
import { bdi, capabilityLabel, esc, eta, etaLeft, etaText, hms, label, setTimeZone, typeLabel } from '../format';
import { addLocales, mountLocalePicker, onLocaleChange, t } from '../i18n';
import type { Assignment, CadEvent, Unit, UnitTask } from '../types';
import { ASSIGNMENT_FLOW } from '../types';
import { nextAssignmentStatus, type AssignmentStatus } from '@cad/domain/status';
import { newestStatus, notAppliedText, Outbox, type OutboxItem, type SendResult } from './outbox';
import { refreshLocationAlerts } from './location-alert';
import { setUpDamageForm } from './damage-form';
import { refreshMessages, setUpMessages } from './messages';
import { refreshMoveUp, setUpMoveUp } from './move-up';
import { showCrewCallRecord } from './call-record';

const OUTBOX_KEY = 'cad.responder.outbox';
/** Minimum time between two position reports, ms, unless the unit moved more than {@link POSITION_MIN_METRES}. */
const POSITION_INTERVAL_MS = 5000;
const POSITION_MIN_METRES = 25;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

// Every locale file of libs/i18n is bundled; the one the crew chose (or the phone prefers) is shown.
addLocales(import.meta.glob('../../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));
setUpDamageForm(() => task?.incident.id ?? null);
setUpMessages($('r-messages'));
setUpMoveUp($('r-moveup'));

let features: Features = NO_FEATURES;
let unitId: string | null = currentUser()?.unitId ?? null;
let units: Unit[] = [];
let task: UnitTask | null = null;
let online = navigator.onLine;
const outbox = new Outbox(OUTBOX_KEY, (item) => patchAssignment(item.assignmentId, item.status, item.at, item.id));

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
      unitId = user.unitId;
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
  if (!unitId) return false;
  try {
    const [t, list] = await Promise.all([loadTask(unitId), fetchUnits()]);
    task = t;
    units = list;
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

/** Whether the task may go from `from` to `to` in one step (the domain's task state machine). */
function allowed(from: string, to: string): boolean {
  try {
    nextAssignmentStatus(from as AssignmentStatus, to as AssignmentStatus);
    return true;
  } catch {
    return false;
  }
}

/** One-tap status buttons, in the order of a task; `cleared` is shown as "Available". Only legal next steps are enabled. */
function actionButtons(a: Assignment): string {
  const status = effectiveStatus(a);
  const current = ASSIGNMENT_FLOW.indexOf(status as Assignment['status']);
  const steps: Array<{ status: string; text: string; cls: string; shown: boolean }> = [
    { status: 'acknowledged', text: t('responder.button.acknowledged'), cls: 'ack', shown: features.acknowledged },
    { status: 'en_route', text: t('responder.button.en_route'), cls: 'en_route', shown: true },
    { status: 'on_scene', text: t('responder.button.on_scene'), cls: 'on_scene', shown: true },
    { status: 'transporting', text: t('responder.button.transporting'), cls: 'transporting', shown: features.transporting },
    { status: 'at_hospital', text: t('responder.button.at_hospital'), cls: 'at_hospital', shown: features.transporting && current >= ASSIGNMENT_FLOW.indexOf('transporting') },
    { status: 'cleared', text: t('responder.button.cleared'), cls: 'available', shown: true },
  ];
  const shown = steps.filter((s) => s.shown);
  const ackPending = features.acknowledged && current < ASSIGNMENT_FLOW.indexOf('acknowledged');
  return shown
    .map((s) => {
      const idx = ASSIGNMENT_FLOW.indexOf(s.status as Assignment['status']);
      const done = idx <= current;
      const enabled = !done && allowed(status, s.status);
      const big = s.status === 'acknowledged' ? ' big' : '';
      if (s.status === 'acknowledged' && !ackPending) return '';
      return `<button type="button" class="status-btn ${s.cls}${big}${done ? ' done' : ''}" data-status="${s.status}" ${enabled ? '' : 'disabled'}>${esc(
        s.text,
      )}</button>`;
    })
    .join('');
}

function render(): void {
  const unit = units.find((u) => u.id === unitId);
  $('r-callsign').textContent = unit?.callsign ?? unitId ?? '—';
  $('r-unit-status').textContent = unit ? label(unit.status) : '';
  $('r-unit-status').dataset.status = unit?.status ?? '';
  const pending = outbox.items().length;
  $('r-outbox').hidden = pending === 0;
  $('r-outbox').textContent = t('responder.toSend', { count: pending });
  $('r-damage').hidden = !task;
  if (!task) {
    // A unit out of service (taken off a task it did not acknowledge, or by hand) puts itself back.
    const oos = unit?.status === 'out_of_service';
    $('r-task').innerHTML = oos
      ? `<p class="no-task">${esc(t('responder.outOfService'))}<br><span class="muted">${esc(t('responder.outOfServiceHint'))}</span></p>`
      : `<p class="no-task">${esc(t('responder.noTask'))}<br><span class="muted">${esc(t('responder.waiting'))}</span></p>`;
    $('r-task').dataset.assignmentId = '';
    $('r-actions').innerHTML = oos ? `<button type="button" class="status-btn big available" data-in-service="1">${esc(t('units.backInService'))}</button>` : '';
    drawTaskOnMap(null);
    showCrewCallRecord(null);
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
  drawTaskOnMap(task);
  showCrewCallRecord(inc.id, inc.type);
}

function message(text: string): void {
  $('r-message').textContent = text;
}

$('r-actions').addEventListener('click', (e) => {
  if ((e.target as HTMLElement).closest('button[data-in-service]') && unitId) {
    setUnitStatus(unitId, 'available')
      .then(() => reloadTask())
      .catch((err: Error) => message(t('responder.notAccepted', { error: err.message })));
    return;
  }
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-status]');
  if (!btn || !task || btn.disabled) return;
  outbox.add(task.assignment.id, btn.dataset.status!);
  void flush(); // the request leaves before the page redraws
  render();
});

async function flush(): Promise<void> {
  const results: SendResult[] = await outbox.flush();
  let notApplied: OutboxItem | null = null;
  for (const r of results) {
    if (r.outcome === 'refused') message(t('responder.notAccepted', { error: r.message }));
    else {
      if (!r.applied) notApplied = r.item;
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
    const inForce = task ? { assignmentId: task.assignment.id, status: effectiveStatus(task.assignment) } : null;
    message(shown ? notAppliedText(notApplied, inForce) : t('responder.notAppliedNewer', { reported: label(notApplied.status) }));
  } else if (results.length) scheduleTaskReload(0);
}

// ---- map ----
let map: L.Map | null = null;
const taskLayer = L.layerGroup();
let selfMarker: L.CircleMarker | null = null;

function ensureMap(): L.Map {
  if (map) return map;
  map = L.map($('r-map'), { zoomControl: false, attributionControl: true, preferCanvas: true }).setView([37.7955, -122.4396], 14);
  // No third-party tiles (content security policy): the base map is the road network from /api/roads
  // (OpenStreetMap data), drawn once on a canvas, under the route and the incident.
  map.attributionControl.addAttribution(t('map.attribution'));
  const m = map;
  fetchRoads()
    .then((roads) => {
      const major = new Set(['motorway', 'trunk', 'primary', 'secondary', 'motorway_link', 'trunk_link', 'primary_link']);
      L.geoJSON(roads, {
        interactive: false,
        style: (f) => ({ color: major.has(String(f?.properties?.highway)) ? '#8a97a6' : '#5b6673', weight: major.has(String(f?.properties?.highway)) ? 2 : 1, opacity: 0.8 }),
      }).addTo(m);
      taskLayer.remove();
      taskLayer.addTo(m);
    })
    .catch(() => undefined);
  taskLayer.addTo(map);
  return map;
}

function drawTaskOnMap(t: UnitTask | null): void {
  const m = ensureMap();
  taskLayer.clearLayers();
  const unit = units.find((u) => u.id === unitId);
  const points: L.LatLngExpression[] = [];
  if (t) {
    const route = t.assignment.route;
    if (route?.type === 'LineString' && route.coordinates.length > 1) {
      const latlngs = route.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
      L.polyline(latlngs, { color: '#4cc2ff', weight: 5, className: 'task-route' }).addTo(taskLayer);
      points.push(...latlngs);
    }
    L.circleMarker([t.incident.lat, t.incident.lon], { radius: 10, color: '#111', weight: 2, fillColor: '#e5484d', fillOpacity: 1, className: 'task-incident' }).addTo(
      taskLayer,
    );
    points.push([t.incident.lat, t.incident.lon]);
  }
  if (unit) {
    selfMarker = L.circleMarker([unit.lat, unit.lon], { radius: 7, color: '#fff', weight: 2, fillColor: '#30a46c', fillOpacity: 1 }).addTo(taskLayer);
    points.push([unit.lat, unit.lon]);
  }
  if (points.length > 1) m.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 16 });
  else if (points.length === 1) m.setView(points[0], 15);
}

// ---- position reporting ----
let lastSent: { at: number; lat: number; lon: number } | null = null;
let watchId: number | null = null;
let positionsSent = 0;

/** Great-circle distance, metres (haversine, mean Earth radius 6,371,008.8 m, IUGG). */
function metres(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = Math.PI / 180;
  const dLat = (bLat - aLat) * r;
  const dLon = (bLon - aLon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** The browser's geolocation error codes (W3C Geolocation API, GeolocationPositionError) and their messages. */
const GEOLOCATION_ERRORS: Record<number, string> = { 1: 'responder.geoDenied', 2: 'responder.geoUnavailable', 3: 'responder.geoTimeout' };

function startPositionReporting(): void {
  if (!features.unitPosition || !('geolocation' in navigator) || watchId !== null) {
    if (!features.unitPosition) $('r-position').textContent = t('responder.positionNotOffered');
    return;
  }
  watchId = navigator.geolocation.watchPosition(
    (pos) => {
      const { latitude: lat, longitude: lon, heading, speed } = pos.coords;
      selfMarker?.setLatLng([lat, lon]);
      const now = Date.now();
      if (lastSent && now - lastSent.at < POSITION_INTERVAL_MS && metres(lastSent.lat, lastSent.lon, lat, lon) < POSITION_MIN_METRES) return;
      if (!unitId || !online) return;
      lastSent = { at: now, lat, lon };
      postPosition(unitId, {
        lat,
        lon,
        at: new Date(pos.timestamp).toISOString(),
        ...(heading !== null && Number.isFinite(heading) ? { headingDeg: heading } : {}),
        ...(speed !== null && Number.isFinite(speed) ? { speedMps: speed } : {}),
      })
        .then(() => {
          positionsSent++;
          $('r-position').textContent = t('responder.positionSent', { time: hms(Date.now()) });
        })
        .catch((err) => ($('r-position').textContent = t('responder.positionNotSent', { error: (err as Error).message })));
    },
    (err) => ($('r-position').textContent = t('responder.noPosition', { error: t(GEOLOCATION_ERRORS[err.code] ?? 'responder.geoUnavailable') })),
    { enableHighAccuracy: true, maximumAge: 2000, timeout: 20000 },
  );
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
 * 20); gone on scene. Shown apart ("turnout 1:10 + travel 2:05") until the crew is en route.
 */
function showEtaLeft(): void {
  const el = document.querySelector<HTMLElement>('#r-task .task-eta');
  if (!el || !task) return;
  const a = { ...task.assignment, status: effectiveStatus(task.assignment) };
  const left = etaLeft(a, Date.now());
  el.textContent = left === null ? '' : ` · ${t('common.eta', { eta: eta(left) })}${a.status === 'en_route' ? '' : ` · ${etaText(a)}`}`;
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
    socket!.emit('subscribe', { lastSeq: null, unitId });
    void flush();
    scheduleTaskReload(0);
    if (unitId) void refreshLocationAlerts(unitId, $('r-task'));
    if (unitId) void refreshMessages(unitId, $('r-messages'));
    void refreshMoveUp($('r-moveup'));
  });
  socket.on('disconnect', () => setOnline(false));
  socket.on('event', (ev: CadEvent) => {
    if (!unitId) return;
    if (ev.unitId === unitId || (task && ev.incidentId === task.incident.id)) scheduleTaskReload();
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
  startPositionReporting();
}

// A change of language draws the page again.
onLocaleChange(() => {
  setOnline(online);
  if (!$('r-main').hidden) render();
});

async function start(): Promise<void> {
  setOnline(navigator.onLine);
  if (token()) features = await probeFeatures().catch(() => NO_FEATURES);
  if (token() && unitId) await showMain();
  else showSignIn();
  (window as unknown as { __cadResponder: unknown }).__cadResponder = {
    outbox: () => outbox.items(),
    task: () => task,
    features: () => features,
    positionsSent: () => positionsSent,
    socket: () => socket,
  };
}

void start();
