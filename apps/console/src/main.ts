/** Dispatcher console entry point: load the REST snapshot, then stream events over socket.io. */
import 'leaflet/dist/leaflet.css';
import './styles.css';
import L from 'leaflet';
import {
  acceptRecommendations,
  assignUnit,
  createCall,
  createRoadClosure,
  deleteRoadClosure,
  fetchIncident,
  fetchJurisdictions,
  fetchRecommendations,
  fetchRoadClosures,
  fetchRoads,
  fetchSnapshot,
  fetchTimeline,
  fetchUnits,
  geocode,
  type Geocoded,
  type GeocodeMiss,
  incidentAction,
  reopenIncident,
  mergeIncident,
  overrideRecommendation,
  patchAssignment,
  request,
  requestResources,
  setUnitStatus,
  unlinkCall,
  type IncidentAction,
  type Snapshot,
} from './api';
import { alertNewTopPriority, alertStats, unlockAudio } from './alert';
import { currentUser, expired, signIn, signOut, token } from './auth';
import { setClock } from './clock';
import { NO_FEATURES, probeFeatures, type Features } from './features';
import { esc, isolateText, setTimeZone, typeLabel } from './format';
import { commandFor, helpRows, type Command } from './keys';
import { createMap, renderJurisdictions, renderRoads } from './map/base';
import { addDraftPoint, draftCoordinates, isDrawing, renderClosures, startDrawing, stopDrawing, undoDraftPoint } from './map/closures';
import { focusIncident, syncIncidentMarkers } from './map/incidents';
import { syncAccessPoints } from './map/access-points';
import { isLocationCommand, locationHtml, noteFix } from './positions';
import { runLocationCommand, startClockSkewWatch } from './location-actions';
import { syncDevicePoints } from './map/device-points';
import { focusUnit, moveUnitMarker, syncRoutes, syncUnitMarkers, unitMarkers } from './map/units';
import { canAssignTo, closeRefusal, recommendedUnitIds, renderDetail, tierMoveRefusal } from './panel/detail';
import { flashHeader, renderCounters, setConnection, tickClock } from './panel/header';
import { matchesFilter, renderQueues, tickAges, unitsShown, type IncidentFilter } from './panel/incidents';
import { renderUnitBoard } from './panel/units';
import { connectSocket, resubscribe } from './socket';
import { Store, type StoreNotice } from './store';
import type { CadEvent, Jurisdiction, Recommendations, Unit } from './types';
import { createCoverageLayer } from './map/coverage';
import { setUpDrillControl } from './drill';
import { startStallBanner } from './stall-banner';
import { firstPasswordFromLink, setUpAccountsPanel } from './accounts';
import { setUpAlerts } from './alerts/panel';
import { countedInView, countedUnits, listedInView, setUpWorldSwitch, worldLabel } from './world';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const store = new Store();
const ctx = createMap($('map'));
const queueEls = {
  pending: { list: $('pending-list'), count: $('pending-count') },
  active: { list: $('active-list'), count: $('active-count') },
  resolved: { list: $('resolved-list'), count: $('resolved-count') },
};
const queuesEl = $('queues-section');
const detailEl = $('detail');
const unitCountsEl = $('unit-counts');
const unitListEl = $('unit-list');
const statusEl = $('load-status');
const bannerEl = $('alert-banner');

let features: Features = NO_FEATURES;
const filter: IncidentFilter = { tier: '', jurisdictionId: '' };
let selectedId: string | null = null;
/** Incident ids in the order shown (pending, active, resolved): J/K walk it. */
let order: string[] = [];
let timeline: CadEvent[] | undefined;
let recommendations: Recommendations | null | undefined;
let snapshotLoads = 0;

// ---- rendering (coalesced: bursts of replayed events produce one render) ----
let renderTimer: number | null = null;
let flashPending = false;
function scheduleRender(): void {
  if (renderTimer !== null) return;
  renderTimer = window.setTimeout(() => {
    renderTimer = null;
    renderAll();
  }, 40);
}

function renderAll(): void {
  if (selectedId && !store.incidents.has(selectedId)) select(null);
  // The map shows the incidents the queues show (tier and jurisdiction filters), and their routes.
  // The live/exercise switch: live incidents always, a drill's only in the exercise view (below the live ones).
  const shown = new Map([...store.incidents].filter(([, inc]) => matchesFilter(inc, filter) && listedInView(inc)));
  syncIncidentMarkers(ctx, shown);
  syncAccessPoints(ctx, shown);
  syncDevicePoints(ctx, shown);
  // Units too: those based in the filtered jurisdiction and those working the incidents shown.
  const units = unitsShown(store.units, shown, filter, (id) => jurisdictions.find((j) => j.id === id)?.parentId ?? null);
  syncUnitMarkers(ctx, units);
  syncRoutes(ctx, shown, store.units);
  order = renderQueues(queueEls, shown, filter, selectedId);
  renderSelected();
  renderUnitBoard(unitCountsEl, unitListEl, units, features.unitStatus && !readOnly());
  // The header counts what the queues and the unit board show (the filter, e.g. a district post's own).
  // ...of one world at a time, saying which.
  renderCounters(new Map([...shown].filter(([, inc]) => countedInView(inc))), countedUnits(units), store.lastSeq, worldLabel());
  if (flashPending) {
    flashPending = false;
    flashHeader();
  }
}

function renderSelected(): void {
  // The card is redrawn on every event: a unit id being typed in it keeps its text, caret and focus.
  const typing = $<HTMLInputElement>('assign-unit');
  const kept = typing ? { value: typing.value, focused: document.activeElement === typing, caret: typing.selectionStart } : null;
  const shownIncident = selectedId ? store.incidents.get(selectedId) : undefined;
  renderDetail(detailEl, shownIncident, { timeline, recommendations, units: store.units, features });
  if (shownIncident) detailEl.querySelector('.detail-address')?.insertAdjacentHTML('afterend', locationHtml(shownIncident, features.locationChange && !readOnly()));
  const input = $<HTMLInputElement>('assign-unit');
  if (kept && input) {
    input.value = kept.value;
    if (kept.focused) {
      input.focus();
      input.setSelectionRange(kept.caret, kept.caret);
    }
  }
}

/** Whether the signed-in post is an observer (read-only console). */
function readOnly(): boolean {
  return document.body.classList.contains('read-only');
}

// ---- store notices ----
let unitReload: number | null = null;
const staleIncidents = new Set<string>();
let staleTimer: number | null = null;
/** A call created from the form: its incident is selected when it arrives. */
let awaitingCall: { type: string; lat: number; lon: number } | null = null;

store.subscribe((notices: StoreNotice[]) => {
  for (const n of notices) {
    switch (n.kind) {
      case 'new-incident':
        if (awaitingCall && n.incident.type === awaitingCall.type && Math.abs(n.incident.lat - awaitingCall.lat) < 1e-6 && Math.abs(n.incident.lon - awaitingCall.lon) < 1e-6) {
          awaitingCall = null;
          window.setTimeout(() => select(n.incident.id), 0);
        }
        if (n.incident.priority === 1 && !n.incident.exercise && !loadingSnapshot) {
          flashPending = true;
          alertNewTopPriority(bannerEl, n.incident, (id) => {
            select(id);
            focusIncident(ctx, id);
          });
        }
        break;
      case 'unknown-unit':
        if (unitReload === null) {
          // A unit we don't know appeared: refresh the unit list once (debounced).
          unitReload = window.setTimeout(() => {
            fetchUnits()
              .then((units) => store.loadUnits(units))
              .catch((err) => console.warn('unit reload failed', err))
              .finally(() => (unitReload = null));
          }, 500);
        }
        break;
      case 'stale-incident':
        staleIncidents.add(n.incidentId);
        staleTimer ??= window.setTimeout(reloadStaleIncidents, 150);
        break;
      case 'event':
        if (n.event.incidentId && n.event.incidentId === selectedId) {
          if (timeline && !timeline.some((e) => e.seq === n.event.seq)) timeline = [...timeline, n.event].sort((a, b) => a.seq - b.seq);
          if (features.recommendations) refreshRecommendations(selectedId);
        }
        break;
    }
  }
  scheduleRender();
});

function reloadStaleIncidents(): void {
  staleTimer = null;
  const ids = [...staleIncidents];
  staleIncidents.clear();
  for (const id of ids) {
    fetchIncident(id)
      .then((inc) => store.putIncident(inc))
      .catch((err) => console.warn('incident reload failed', id, err));
  }
}

// ---- AVL: marker moves applied once per animation frame (one layout and paint per batch) ----
/** Marker moves not drawn yet (latest position per unit). */
const pendingMoves = new Map<string, { lat: number; lon: number }>();
let moveFrame: number | null = null;

function flushMoves(): void {
  moveFrame = null;
  for (const [unitId, p] of pendingMoves) moveUnitMarker(unitId, p.lat, p.lon);
  pendingMoves.clear();
}

// ---- snapshot / resync ----
let loadingSnapshot = false;
let queued: CadEvent[] = [];

async function loadSnapshotWithRetry(): Promise<Snapshot> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchSnapshot();
    } catch (err) {
      const wait = Math.min(10_000, 500 * 2 ** attempt);
      showStatus(`Snapshot failed (${(err as Error).message}); retrying in ${Math.round(wait / 1000)}s`);
      await new Promise((r) => window.setTimeout(r, wait));
    }
  }
}

async function reloadSnapshot(): Promise<void> {
  if (loadingSnapshot) return;
  loadingSnapshot = true;
  queued = [];
  try {
    const snap = await loadSnapshotWithRetry();
    store.loadSnapshot(snap);
    snapshotLoads++;
    setTimeZone(snap.state.timeZone);
    setClock(snap.state.clock);
    tickClock();
    showStatus('');
  } finally {
    loadingSnapshot = false;
  }
  const pending = queued;
  queued = [];
  for (const ev of pending) store.applyEvent(ev);
}

function showStatus(text: string): void {
  statusEl.textContent = text;
  statusEl.hidden = !text;
}

// ---- selection and detail ----
function select(id: string | null): void {
  if (id === selectedId) return;
  selectedId = id;
  timeline = undefined;
  recommendations = undefined;
  for (const { list } of Object.values(queueEls)) {
    list.querySelectorAll<HTMLElement>('.incident-row').forEach((row) => {
      const on = row.dataset.incidentId === id;
      row.classList.toggle('selected', on);
      row.setAttribute('aria-selected', String(on));
      if (on) row.scrollIntoView({ block: 'nearest' });
    });
  }
  renderSelected();
  if (!id) return;
  if (features.timeline) {
    fetchTimeline(id)
      .then((events) => {
        if (selectedId !== id) return;
        const live = timeline ?? [];
        const bySeq = new Map([...events, ...live].map((e) => [e.seq, e]));
        timeline = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
        renderSelected();
      })
      .catch((err) => console.warn('timeline failed', err));
  }
  if (features.recommendations) refreshRecommendations(id);
}

let recTimer: number | null = null;
function refreshRecommendations(id: string): void {
  if (recTimer !== null) window.clearTimeout(recTimer);
  recTimer = window.setTimeout(() => {
    recTimer = null;
    fetchRecommendations(id)
      .then((r) => {
        if (selectedId !== id) return;
        recommendations = r;
        renderSelected();
      })
      .catch(() => {
        if (selectedId !== id) return;
        recommendations = null;
        renderSelected();
      });
  }, recommendations === undefined ? 0 : 300);
}

function move(step: 1 | -1): void {
  if (!order.length) return;
  const i = selectedId ? order.indexOf(selectedId) : -1;
  const next = i < 0 ? (step === 1 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, i + step));
  select(order[next]);
}

// ---- dialogs ----
function toast(text: string, error = false): void {
  showStatus(text);
  statusEl.classList.toggle('error', error);
  window.setTimeout(() => {
    if (statusEl.textContent === text) showStatus('');
  }, 5000);
}

let reasonResolve: ((v: string | null) => void) | null = null;
/** Opens the reason dialog; resolves to the text, or null when cancelled. */
function askReason(title: string, fieldLabel: string, required: boolean): Promise<string | null> {
  const dlg = $<HTMLDialogElement>('reason-dialog');
  $('reason-title').textContent = title;
  $('reason-label').textContent = fieldLabel;
  const input = $<HTMLInputElement>('reason-input');
  input.value = '';
  input.required = required;
  $('reason-error').textContent = '';
  dlg.showModal();
  input.focus();
  return new Promise((resolve) => (reasonResolve = resolve));
}
$('reason-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('reason-input');
  if (input.required && !input.value.trim()) {
    $('reason-error').textContent = 'A reason is required.';
    return;
  }
  $<HTMLDialogElement>('reason-dialog').close();
  reasonResolve?.(input.value.trim());
  reasonResolve = null;
});
const cancelReason = (): void => {
  $<HTMLDialogElement>('reason-dialog').close();
  reasonResolve?.(null);
  reasonResolve = null;
};
$('reason-cancel').addEventListener('click', cancelReason);
$('reason-dialog').addEventListener('cancel', (e) => {
  e.preventDefault();
  cancelReason();
});

const ACTION_TEXT: Record<IncidentAction, { title: string; field: string; required: boolean; done: string }> = {
  escalate: { title: 'Escalate to the next tier', field: 'Reason', required: true, done: 'Escalated' },
  deescalate: { title: 'Hand back to the tier below', field: 'Reason', required: true, done: 'De-escalated' },
  close: { title: 'Close incident', field: 'Disposition (optional)', required: false, done: 'Closed' },
  cancel: { title: 'Cancel incident', field: 'Reason', required: true, done: 'Cancelled' },
};

async function runIncidentAction(action: IncidentAction): Promise<void> {
  const id = selectedId;
  const on = { escalate: features.escalate, deescalate: features.deescalate, close: features.close, cancel: features.cancel }[action];
  if (!id || !on) return;
  if (action === 'escalate' || action === 'deescalate') {
    // The tier is known here: a move the command chain cannot make is refused before asking why.
    const refusal = tierMoveRefusal(action, store.incidents.get(id)?.commandingTier);
    if (refusal) {
      toast(refusal, true);
      return;
    }
  }
  const selected = store.incidents.get(id);
  if (action === 'close' && selected && closeRefusal(selected)) {
    // Units still on it: the server would refuse; say so before asking for a disposition.
    toast(`Cannot close: ${closeRefusal(selected)}.`, true);
    return;
  }
  const t = ACTION_TEXT[action];
  const text = await askReason(t.title, t.field, t.required);
  if (text === null) return;
  try {
    await incidentAction(id, action, text);
    if (action === 'cancel') {
      lastCancelled = id;
      toast(`${t.done}. Press Z to reopen it if that was a mistake.`);
    } else toast(`${t.done}.`);
    staleIncidents.add(id);
    staleTimer ??= window.setTimeout(reloadStaleIncidents, 150);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/**
 * Merges the selected incident into another open one, named by its call number (or the start of
 * its id), after asking why; the survivor is selected.
 */
async function mergeSelected(): Promise<void> {
  const id = selectedId;
  const self = id ? store.incidents.get(id) : undefined;
  if (!id || !self || !features.merge) return;
  if (!['received', 'dispatched', 'en_route'].includes(self.status)) {
    toast(`An incident ${self.status.replace('_', ' ')} cannot be merged (units on scene: close it instead).`, true);
    return;
  }
  // Candidates: other open incidents of the same kind of work (live with live, a drill's with its own).
  const open = [...store.incidents.values()].filter(
    (i) => i.id !== id && i.exercise === self.exercise && (i.drillId ?? null) === (self.drillId ?? null) && ['received', 'dispatched', 'en_route', 'on_scene'].includes(i.status),
  );
  const which = await askReason('Merge into which incident? (the same emergency)', `Call number, e.g. ${open[0]?.callNumber ?? open[0]?.id.slice(0, 8) ?? '…'}`, true);
  if (which === null) return;
  const w = which.trim().toLowerCase();
  const into = open.find((i) => (i.callNumber ?? '').toLowerCase() === w) ?? open.find((i) => i.id.toLowerCase().startsWith(w));
  if (!into) {
    toast(`No open incident ${which}.`, true);
    return;
  }
  const reason = await askReason(`Merge into ${into.callNumber ?? into.id.slice(0, 8)} (${isolateText(typeLabel(into.type))}): why?`, 'Reason', true);
  if (reason === null) return;
  try {
    await mergeIncident(id, into.id, reason);
    toast('Merged: calls and units moved.');
    for (const x of [id, into.id]) staleIncidents.add(x);
    staleTimer ??= window.setTimeout(reloadStaleIncidents, 150);
    select(into.id);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/** Asks which units (capabilities, comma-separated, e.g. `engine, engine, truck`) and why, then requests them. */
async function requestUnits(): Promise<void> {
  const id = selectedId;
  if (!id || !features.resourceRequests) return;
  const which = await askReason('Request more units from the tier above', 'Capabilities, e.g. engine, engine, truck', true);
  if (which === null) return;
  const capabilities = which
    .split(/[,\s]+/)
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  const reason = await askReason('Why are more units needed?', 'Reason', true);
  if (reason === null) return;
  try {
    const r = (await requestResources(id, capabilities, reason)) as { sent?: unknown[]; unfilled?: unknown[] } | null;
    toast(`Requested: ${r?.sent?.length ?? 0} sent${r?.unfilled?.length ? `, ${r.unfilled.length} unfilled` : ''}.`);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/**
 * Follows a new call to its incident (`GET /api/calls/:id`): a call linked to an open incident as a
 * duplicate is announced and that incident selected, since no new incident will appear.
 */
async function followCall(callId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => window.setTimeout(r, 250));
    try {
      const c = await request<{ incidentId: string | null; linked: boolean }>('GET', `/api/calls/${encodeURIComponent(callId)}`);
      if (!c.incidentId) continue;
      if (c.linked) {
        awaitingCall = null;
        toast(`Call linked to open incident ${isolateText(store.incidents.get(c.incidentId)?.address ?? c.incidentId)} (same emergency).`);
      }
      if (selectedId !== c.incidentId) select(c.incidentId);
      return;
    } catch {
      return;
    }
  }
}

async function acceptSelected(): Promise<void> {
  const id = selectedId;
  if (!id || !features.recommendations) return;
  // Every slot says "no unit": say so rather than ask the server to send nobody.
  if (recommendations && !recommendedUnitIds(recommendations).length) {
    toast(recommendations.slots.length ? 'Nothing to accept: no unit is recommended (none available for the open slots).' : 'Nothing to accept: the plan is filled.', true);
    return;
  }
  try {
    const r = await acceptRecommendations(id);
    if (!r.assigned.length && !r.refused.length) toast('Nothing to accept: the plan is filled.');
    else if (r.refused.length) toast(`Sent ${r.assigned.map((a) => a.unitId).join(', ') || 'no unit'}; refused: ${r.refused.map((x) => `${x.unitId} (${x.reason})`).join('; ')}`, true);
    else toast(`Sent ${r.assigned.map((a) => a.unitId).join(', ')}.`);
    refreshRecommendations(id);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

// New-call form: non-modal, so the map stays clickable to place the call.
const callDlg = $<HTMLDialogElement>('call-dialog');
/**
 * Where the call's position (the lat/lon fields) comes from. `centre`: the map centre, while no address
 * is typed; `address`: a successful lookup of `address`; `map`: a map click (or coordinates typed) made
 * after `address` was typed; `none`: the address was edited and is not located yet (fields empty).
 */
interface CallPlacement {
  by: 'centre' | 'address' | 'map' | 'none';
  address: string;
}
let callPlacement: CallPlacement = { by: 'centre', address: '' };
/** The last address lookup asked of the server: one request per address text, however many Tabs and Enters. */
let addressLookup: { q: string; answer: Promise<Geocoded | GeocodeMiss> } | null = null;
/** Why the last address lookup could not be made (network, server), or null when it answered. */
let lookupFailure: string | null = null;
/** True while a call is being posted (a second Enter must not post it twice). */
let callSubmitting = false;
const LOCATED_HINT = 'Type the address (number and street, or two streets with &) and it is looked up; or click the map. It starts at the map centre.';

/** The address as typed, trimmed. */
function callAddress(): string {
  return $<HTMLInputElement>('call-address').value.trim();
}

/** Shows where the call is placed (or why it is not) under the coordinates. */
function showCallLocated(text: string, warn = false): void {
  $('call-located').textContent = text;
  $('call-located').className = warn ? 'warn small' : 'muted small';
}

/** Whether the lat/lon fields hold a position that belongs to the address as typed now. */
function callPositionHolds(): boolean {
  const q = callAddress();
  if (!q) return callPlacement.by !== 'none';
  return (callPlacement.by === 'address' || callPlacement.by === 'map') && callPlacement.address === q;
}

/** Puts a position chosen by hand (map click or typed coordinates) on the call, for the address as typed. */
function placeCallByHand(text: string): void {
  callPlacement = { by: 'map', address: callAddress() };
  showCallLocated(text);
  if ($('call-error').textContent) $('call-error').textContent = '';
}

/**
 * Looks the typed address up (once per address text) and places the call there, unless the call is
 * already placed for this address (looked up, or clicked on the map after the address was typed).
 */
function lookUpAddress(): Promise<void> {
  const q = callAddress();
  if (!q || callPositionHolds()) return Promise.resolve();
  if (addressLookup?.q !== q) addressLookup = { q, answer: geocode(q) };
  const { answer } = addressLookup;
  return answer.then(
    (r) => {
      lookupFailure = null;
      // Typed on, or placed by hand meanwhile: this answer is for nothing on screen any more.
      if (callAddress() !== q || callPositionHolds()) return;
      if ('miss' in r) {
        showCallLocated(`"${q}" not found (${r.miss}): correct it, or click the map at the caller's location.`, true);
        return;
      }
      $<HTMLInputElement>('call-lat').value = r.lat.toFixed(6);
      $<HTMLInputElement>('call-lon').value = r.lon.toFixed(6);
      callPlacement = { by: 'address', address: q };
      const where = r.streetId ? (jurisdictions.find((j) => j.id === r.streetId)?.name ?? '') : '';
      const rough = r.precision === 'street' ? " (street only: click the map at the caller's location to be exact)" : '';
      showCallLocated(`Located: ${r.matched}, ${r.precision}${where ? ` · ${where}` : ''}${rough}`, r.precision === 'street');
      if ($('call-error').textContent) $('call-error').textContent = '';
    },
    (err: Error) => {
      if (addressLookup?.q === q) addressLookup = null; // a network failure is asked again next time
      if (callAddress() !== q || callPositionHolds()) return;
      lookupFailure = err.message;
      showCallLocated(`Address lookup failed (${err.message}): click the map at the caller's location.`, true);
    },
  );
}
$('call-address').addEventListener('change', () => void lookUpAddress());
// An edited address invalidates the position it had (the map centre, the previous address, an earlier
// click): the fields are emptied until the new address is located or the map is clicked.
$('call-address').addEventListener('input', () => {
  if (callPlacement.by !== 'none') {
    callPlacement = { by: 'none', address: '' };
    $<HTMLInputElement>('call-lat').value = '';
    $<HTMLInputElement>('call-lon').value = '';
  }
  showCallLocated(callAddress() ? 'Not located yet: Tab looks the address up; or click the map at the caller\'s location.' : 'Type the address, or click the map at the caller\'s location.');
});
// Coordinates typed by hand win over the lookup, as a map click does.
for (const f of ['call-lat', 'call-lon']) {
  $(f).addEventListener('input', () => placeCallByHand('Placed at the coordinates typed.'));
}

function openCallForm(): void {
  if (callDlg.open) return;
  const c = ctx.map.getCenter();
  $<HTMLInputElement>('call-lat').value = c.lat.toFixed(6);
  $<HTMLInputElement>('call-lon').value = c.lng.toFixed(6);
  callPlacement = { by: 'centre', address: '' };
  addressLookup = null;
  showCallLocated(LOCATED_HINT);
  $('call-error').textContent = '';
  callDlg.show();
  $<HTMLInputElement>('call-type').focus();
}
function closeCallForm(): void {
  callDlg.close();
  ($<HTMLFormElement>('call-form')).reset();
}
$('call-cancel').addEventListener('click', closeCallForm);
$('new-call-btn').addEventListener('click', openCallForm);
/** The drill now running or paused (exercise calls taken by hand join it), or null. */
async function runningDrillId(): Promise<string | null> {
  const runs = await request<Array<{ id: string; state: string }>>('GET', '/api/drills');
  return runs.find((r) => r.state === 'running' || r.state === 'paused')?.id ?? null;
}

$('call-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (callSubmitting) return;
  callSubmitting = true;
  void submitCall().finally(() => (callSubmitting = false));
});

/** A coordinate field's number, or NaN when it is empty or not a number. */
function coordinate(id: string): number {
  const text = $<HTMLInputElement>(id).value.trim();
  return text ? Number(text) : NaN;
}

/** The incident this console cancelled last, for Z (undo: reopen it). */
let lastCancelled: string | null = null;

/** Reopens the incident cancelled last from this console (`POST /api/incidents/:id/reopen`). */
async function undoCancel(): Promise<void> {
  const id = lastCancelled;
  if (!id) {
    toast('Nothing to reopen: no incident was cancelled from this console.', true);
    return;
  }
  try {
    await reopenIncident(id);
    lastCancelled = null;
    toast('Reopened: the incident is received again and dispatched afresh.');
    staleIncidents.add(id);
    staleTimer ??= window.setTimeout(reloadStaleIncidents, 150);
    select(id);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/**
 * Posts the call from the form. The position must belong to the address as typed: Enter straight after
 * typing it waits for its lookup; an address not located (and no map click since it was typed) is
 * refused in the form, and nothing is posted.
 */
async function submitCall(): Promise<void> {
  $('call-error').textContent = '';
  await lookUpAddress();
  const address = callAddress();
  if (!callPositionHolds()) {
    $('call-error').textContent = address
      ? lookupFailure
        ? `The address "${address}" could not be looked up (${lookupFailure}: is the network down?): click the map at the caller's location. Nothing was sent.`
        : `The address "${address}" is not located: correct it, or click the map at the caller's location. Nothing was sent.`
      : "The call has no position: type the address, or click the map at the caller's location.";
    return;
  }
  const lat = coordinate('call-lat');
  const lon = coordinate('call-lon');
  const type = $<HTMLInputElement>('call-type').value.trim();
  const notes = $<HTMLTextAreaElement>('call-notes').value.trim();
  if (!type) {
    $('call-error').textContent = 'The call type is required.';
    return;
  }
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
    $('call-error').textContent = "Lat and lon must be numbers (degrees): type the address, or click the map at the caller's location.";
    return;
  }
  const body = {
    type,
    priority: Number($<HTMLSelectElement>('call-priority').value) as 1 | 2 | 3,
    lat,
    lon,
    source: 'hotline' as const,
    ...(address ? { address } : {}),
    ...(notes ? { notes } : {}),
  };
  if ($<HTMLInputElement>('call-exercise').checked) {
    // An exercise call belongs to a drill: it joins the one running (its report and clean-up include it).
    const drillId = await runningDrillId().catch(() => null);
    if (!drillId) {
      $('call-error').textContent = 'No drill is running: start one (Drill) to take exercise calls, or untick Exercise.';
      return;
    }
    Object.assign(body, { exercise: true, drillId });
  }
  $<HTMLButtonElement>('call-submit').disabled = true;
  try {
    const created = await createCall(body);
    awaitingCall = { type: body.type.normalize('NFC'), lat, lon };
    closeCallForm();
    toast('Call created; incident follows.');
    void followCall(created.id);
  } catch (err) {
    $('call-error').textContent = (err as Error).message;
  } finally {
    $<HTMLButtonElement>('call-submit').disabled = false;
  }
}

// Help
$('help-table').innerHTML = helpRows(esc);
const helpDlg = $<HTMLDialogElement>('help-dialog');
$('help-btn').addEventListener('click', () => helpDlg.showModal());
$('help-close').addEventListener('click', () => helpDlg.close());

// Post: the signed-in user's jurisdiction sets the default jurisdiction filter; the button signs out.
let jurisdictions: Jurisdiction[] = [];
/** Commands that change something: an observer's console hides them, and its keys do nothing. */
const WRITE_COMMANDS: readonly Command[] = ['new-call', 'accept', 'escalate', 'deescalate', 'request-units', 'close', 'cancel-incident', 'undo-cancel', 'merge', 'closure', 'assign-unit'];

function applyPost(): void {
  const user = currentUser();
  document.body.classList.toggle('read-only', user?.role === 'observer');
  const j = jurisdictions.find((x) => x.id === user?.jurisdictionId);
  $('post-btn').textContent = user ? `${user.displayName} · sign out` : '';
  // The filter offers the post's own jurisdictions: a district its streets, a street itself, the city all.
  const levelOrder = { city: 0, district: 1, street: 2 } as const;
  const mine = (x: Jurisdiction) => !j || j.level === 'city' || x.id === j.id || x.parentId === j.id;
  const sorted = jurisdictions
    .filter((x) => x.level !== 'city' && mine(x))
    .sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.name.localeCompare(b.name, undefined, { numeric: true }));
  $('filter-juris').innerHTML = `${!j || j.level === 'city' ? '<option value="">whole city</option>' : ''}${sorted
    .map((x) => `<option value="${esc(x.id)}">${esc(x.name)} (${x.level})</option>`)
    .join('')}`;
  filter.jurisdictionId = j && j.level !== 'city' ? j.id : '';
  $<HTMLSelectElement>('filter-juris').value = filter.jurisdictionId;
  scheduleRender();
}
function fillJurisdictionSelects(list: Jurisdiction[]): void {
  jurisdictions = list;
  applyPost();
}
$('post-btn').addEventListener('click', () => {
  // End the session on the server too (every device of this account), then forget it here.
  void request('POST', '/api/auth/sign-out')
    .catch(() => undefined)
    .finally(() => {
      signOut();
      window.location.reload();
    });
});

let signInPending: Promise<void> | null = null;
/** Shows the sign-in form until the user signs in (one form however many callers ask). */
function askSignIn(): Promise<void> {
  signInPending ??= showSignIn().finally(() => (signInPending = null));
  return signInPending;
}

function showSignIn(): Promise<void> {
  const dlg = $<HTMLDialogElement>('signin-dialog');
  $('signin-error').textContent = '';
  if (!dlg.open) dlg.showModal();
  $<HTMLInputElement>('signin-user').focus();
  return new Promise((resolve) => {
    const form = $<HTMLFormElement>('signin-form');
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      signIn($<HTMLInputElement>('signin-user').value.trim(), $<HTMLInputElement>('signin-password').value)
        .then(() => {
          form.removeEventListener('submit', onSubmit);
          $<HTMLInputElement>('signin-password').value = '';
          dlg.close();
          resolve();
        })
        .catch((err) => ($('signin-error').textContent = (err as Error).message));
    };
    form.addEventListener('submit', onSubmit);
  });
}
$('signin-dialog').addEventListener('cancel', (e) => e.preventDefault()); // no way around signing in

// Filters
$('filter-tier').addEventListener('change', (e) => {
  filter.tier = (e.target as HTMLSelectElement).value;
  scheduleRender();
});
$('filter-juris').addEventListener('change', (e) => {
  filter.jurisdictionId = (e.target as HTMLSelectElement).value;
  scheduleRender();
});

// Road closures
let closuresShown = false;
function loadClosures(): void {
  fetchRoadClosures()
    .then((list) => renderClosures(ctx, list, (id) => void liftClosure(id)))
    .catch((err) => console.warn('road closures failed', err));
}
async function liftClosure(id: string): Promise<void> {
  try {
    await deleteRoadClosure(id);
    ctx.map.closePopup();
    toast('Closure lifted.');
    loadClosures();
  } catch (err) {
    toast((err as Error).message, true);
  }
}
function toggleDrawing(): void {
  if (!features.roadClosures) return;
  if (isDrawing()) {
    stopDrawing(ctx);
    $('draw-hint').hidden = true;
    return;
  }
  startDrawing(ctx);
  $('draw-hint').hidden = false;
}
async function saveClosure(): Promise<void> {
  const coords = draftCoordinates();
  if (coords.length < 2) {
    toast('A closure needs at least two points.', true);
    return;
  }
  const reason = await askReason('Road closure', 'Reason', true);
  if (reason === null) return;
  try {
    await createRoadClosure(coords, reason);
    stopDrawing(ctx);
    $('draw-hint').hidden = true;
    toast('Road closure saved.');
    loadClosures();
  } catch (err) {
    toast((err as Error).message, true);
  }
}
$('closure-btn').addEventListener('click', toggleDrawing);
ctx.map.on('click', (e: L.LeafletMouseEvent) => {
  if (isDrawing()) addDraftPoint(e.latlng.lat, e.latlng.lng);
  else if (callDlg.open) {
    $<HTMLInputElement>('call-lat').value = e.latlng.lat.toFixed(6);
    $<HTMLInputElement>('call-lon').value = e.latlng.lng.toFixed(6);
    placeCallByHand('Placed where you clicked on the map.');
  }
});

// ---- panel interactions ----
queuesEl.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.incident-row');
  if (row?.dataset.incidentId) {
    select(row.dataset.incidentId);
    focusIncident(ctx, row.dataset.incidentId);
  }
});
unitListEl.addEventListener('click', (e) => {
  const back = (e.target as HTMLElement).closest<HTMLElement>('button[data-cmd="back-in-service"]');
  if (back?.dataset.unitId) {
    void backInService(back.dataset.unitId);
    return;
  }
  const chip = (e.target as HTMLElement).closest<HTMLElement>('.unit-chip');
  if (chip?.dataset.unitId) focusUnit(ctx, chip.dataset.unitId);
});
detailEl.addEventListener('click', (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-cmd]');
  if (!btn) return;
  const cmd = btn.dataset.cmd!;
  if (cmd === 'deselect') select(null);
  else if (cmd === 'unlink' && btn.dataset.callId) {
    unlinkCall(btn.dataset.callId)
      .then(() => toast('Call unlinked.'))
      .catch((err) => toast((err as Error).message, true));
  } else if (cmd === 'override' && selectedId && btn.dataset.capability) {
    void overrideSlot(selectedId, btn.dataset.capability);
  } else if (cmd === 'record-status' && btn.dataset.assignmentId && btn.dataset.status) {
    void recordStatus(btn.dataset.assignmentId, btn.dataset.status);
  } else if (isLocationCommand(cmd) && selectedId && store.incidents.has(selectedId)) {
    void runLocationCommand(cmd, store.incidents.get(selectedId)!, toast);
  } else runCommand(cmd as Command);
});
detailEl.addEventListener('submit', (e) => {
  const form = (e.target as HTMLElement).closest<HTMLFormElement>('.assign-form');
  if (!form) return;
  e.preventDefault();
  const input = form.querySelector<HTMLInputElement>('input');
  if (form.dataset.incidentId && input) void assignByHand(form.dataset.incidentId, input);
});
detailEl.addEventListener('keydown', (e) => {
  // Esc in the unit field leaves it (the console's keys work again); a second Esc clears the selection.
  if (e.key === 'Escape' && (e.target as HTMLElement).id === 'assign-unit') {
    e.preventDefault();
    e.stopPropagation();
    (e.target as HTMLInputElement).blur();
  }
});

/**
 * Records a crew's status given by radio (`PATCH /api/assignments/:id`, as of now); the row follows
 * from the live event. The server's refusal (e.g. a step the task cannot take) is shown as it is.
 */
async function recordStatus(assignmentId: string, status: string): Promise<void> {
  if (readOnly()) return;
  const inc = selectedId ? store.incidents.get(selectedId) : undefined;
  const callsign = inc?.assignments.find((a) => a.id === assignmentId)?.callsign ?? 'unit';
  const text = status === 'cleared' ? 'available' : status.replace(/_/g, ' ');
  try {
    const r = (await patchAssignment(assignmentId, status, new Date().toISOString())) as { applied?: boolean } | null;
    toast(r?.applied === false ? `${callsign} ${text} recorded, not applied: a later status is in force.` : `${callsign} ${text} recorded.`);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/**
 * Assigns the unit typed in the detail card (`POST /api/incidents/:id/assignments`); the id is matched
 * case-insensitively against unit ids and callsigns. The field is emptied on success; on a refusal
 * it keeps the text and the server's reason is shown (e.g. the unit's status and holder).
 */
async function assignByHand(incidentId: string, input: HTMLInputElement): Promise<void> {
  if (readOnly() || !features.assignByHand) return;
  const typed = input.value.trim();
  if (!typed) {
    toast('Type a unit id to assign, e.g. E08.', true);
    return;
  }
  const t = typed.toUpperCase();
  const unit = [...store.units.values()].find((u) => u.id.toUpperCase() === t || u.callsign.toUpperCase() === t);
  const unitId = unit?.id ?? t;
  try {
    await assignUnit(incidentId, unitId);
    toast(`${unit?.callsign ?? unitId} assigned.`);
    const now = $<HTMLInputElement>('assign-unit');
    if (now) now.value = '';
    staleIncidents.add(incidentId);
    staleTimer ??= window.setTimeout(reloadStaleIncidents, 150);
    if (features.recommendations) refreshRecommendations(incidentId);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/** Focuses the detail card's "Assign unit" field for the selected incident. */
function focusAssignField(): void {
  const inc = selectedId ? store.incidents.get(selectedId) : undefined;
  if (!features.assignByHand) return;
  if (!inc) {
    toast('Select an incident first (J/K).', true);
    return;
  }
  if (!canAssignTo(inc)) {
    toast(`An incident ${inc.status.replace(/_/g, ' ')} takes no more units.`, true);
    return;
  }
  const input = $<HTMLInputElement>('assign-unit');
  input?.focus();
  input?.select();
}

/** Puts an out-of-service unit back in service (`PATCH /api/units/:id {status: 'available'}`). */
async function backInService(unitId: string): Promise<void> {
  if (readOnly() || !features.unitStatus) return;
  try {
    const u = await setUnitStatus(unitId, 'available');
    toast(`${u?.callsign ?? unitId} back in service.`);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

async function overrideSlot(incidentId: string, capability: string): Promise<void> {
  const candidates = [...store.units.values()].filter((u) => u.status === 'available' && u.capabilities.includes(capability));
  const choice = await askReason(`Override ${capability}: unit callsign (${candidates.slice(0, 6).map((u) => u.callsign).join(', ')}…)`, 'Unit', true);
  if (choice === null) return;
  const unit = candidates.find((u) => u.callsign.toLowerCase() === choice.toLowerCase() || u.id === choice);
  if (!unit) {
    toast(`No available ${capability} unit ${choice}.`, true);
    return;
  }
  const reason = await askReason(`Why ${unit.callsign}?`, 'Reason', true);
  if (reason === null) return;
  try {
    await overrideRecommendation(incidentId, unit.id, reason);
    toast(`${unit.callsign} sent instead.`);
    refreshRecommendations(incidentId);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

// ---- keyboard ----
function runCommand(cmd: Command): void {
  if (readOnly() && WRITE_COMMANDS.includes(cmd)) {
    toast('Observers can only read.', true);
    return;
  }
  switch (cmd) {
    case 'new-call':
      openCallForm();
      break;
    case 'next':
      move(1);
      break;
    case 'previous':
      move(-1);
      break;
    case 'focus':
      if (isDrawing()) void saveClosure();
      else if (selectedId) focusIncident(ctx, selectedId);
      break;
    case 'accept':
      void acceptSelected();
      break;
    case 'escalate':
      void runIncidentAction('escalate');
      break;
    case 'deescalate':
      void runIncidentAction('deescalate');
      break;
    case 'request-units':
      void requestUnits();
      break;
    case 'close':
      void runIncidentAction('close');
      break;
    case 'cancel-incident':
      void runIncidentAction('cancel');
      break;
    case 'undo-cancel':
      void undoCancel();
      break;
    case 'merge':
      void mergeSelected();
      break;
    case 'closure':
      toggleDrawing();
      break;
    case 'assign-unit':
      focusAssignField();
      break;
    case 'filter':
      $('filter-tier').focus();
      break;
    case 'help':
      helpDlg.showModal();
      break;
    case 'escape':
      if (isDrawing()) toggleDrawing();
      else if (callDlg.open) closeCallForm();
      else select(null);
      break;
  }
}

document.addEventListener('keydown', (e) => {
  unlockAudio();
  if (e.key === 'Escape' && callDlg.open) {
    e.preventDefault();
    closeCallForm();
    return;
  }
  if (isDrawing() && e.key === 'Backspace') {
    e.preventDefault();
    undoDraftPoint();
    return;
  }
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select, dialog[open]') || document.querySelector('dialog[open]:modal')) return;
  if (target.tagName === 'BUTTON' && e.key === 'Enter') return;
  const cmd = commandFor(e);
  if (!cmd) return;
  e.preventDefault();
  runCommand(cmd);
});
document.addEventListener('pointerdown', unlockAudio, { once: true });

// ---- start-up ----
async function start(): Promise<void> {
  tickClock();
  await firstPasswordFromLink(toast);
  if (!token()) await askSignIn();
  // A 401 later (token expired): sign in again, then reload the snapshot and reconnect the socket.
  window.addEventListener('cad:signed-out', () => {
    void askSignIn().then(() => {
      applyPost();
      const s = (window as unknown as { __cadConsole?: { socket: { connected: boolean; connect(): void } } }).__cadConsole?.socket;
      if (s && !s.connected) s.connect();
      void reloadSnapshot();
    });
  });
  showStatus('Loading…');
  const probed = probeFeatures().then((f) => {
    features = f;
    $('closure-btn').hidden = !f.roadClosures;
    if (f.roadClosures && !closuresShown) {
      closuresShown = true;
      loadClosures();
    }
  });
  const staticLayers = Promise.allSettled([
    fetchJurisdictions().then((j) => {
      renderJurisdictions(ctx, j);
      fillJurisdictionSelects(j);
    }),
    fetchRoads().then((r) => renderRoads(ctx, r)),
  ]).then((results) => {
    for (const r of results) if (r.status === 'rejected') console.warn('map layer failed', r.reason);
  });
  await Promise.all([reloadSnapshot(), staticLayers, probed]);
  const coverage = features.coverage ? createCoverageLayer(ctx, () => jurisdictions.filter((j) => j.level === 'street')) : null;
  setUpDrillControl(toast);
  startStallBanner();
  setUpAccountsPanel(toast);
  setUpAlerts(ctx, () => jurisdictions, toast);
  setUpWorldSwitch(scheduleRender, (world) => request<Unit[]>('GET', `/api/units?world=${encodeURIComponent(world)}`));

  const socket = connectSocket({
    lastSeq: () => store.lastSeq,
    onEvent: (ev) => {
      if (loadingSnapshot) queued.push(ev);
      else store.applyEvent(ev);
      if (ev.type === 'unit.status') coverage?.refreshSoon();
      // Closures entered on another console, or opened and lifted by a drill scenario.
      if ((ev.type === 'road.closed' || ev.type === 'road.reopened') && closuresShown) loadClosures();
    },
    onAvl: (msg) => {
      for (const p of msg.positions) {
        noteFix(store.units.get(p.unitId), msg.at);
        if (store.moveUnit(p.unitId, p.lat, p.lon)) pendingMoves.set(p.unitId, p);
      }
      if (pendingMoves.size && moveFrame === null) moveFrame = requestAnimationFrame(flushMoves);
    },
    onClock: (clock) => {
      setClock(clock);
      tickClock();
    },
    onResync: () => {
      void reloadSnapshot().then(() => resubscribe(socket, store.lastSeq));
    },
    onConnection: setConnection,
  });
  socket.on('connect_error', (err: Error) => {
    // The server refuses the handshake without a valid token: ask for a sign-in (the socket retries).
    if (/token|sign|auth|expired|jwt/i.test(err.message) && token()) expired();
  });

  const capabilityWarning = document.getElementById('capability-warning');
  if (capabilityWarning) startClockSkewWatch(capabilityWarning);

  window.setInterval(() => {
    tickClock();
    tickAges(queuesEl);
    tickAges(detailEl);
  }, 1000);

  // Handy for debugging and end-to-end tests (read-only use intended).
  (window as unknown as { __cadConsole: unknown }).__cadConsole = {
    store,
    map: ctx.map,
    socket,
    features: () => features,
    selected: () => selectedId,
    snapshotLoads: () => snapshotLoads,
    alerts: alertStats,
    unitMarkers: () => unitMarkers.size,
  };
}

void start();
