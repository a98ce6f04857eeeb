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
import { adoptToken, currentUser, expired, signIn, signOut, token } from './auth';
import { setClock } from './clock';
import { NO_FEATURES, probeFeatures, type Features } from './features';
import { capabilityLabel, esc, isolateText, label, setTimeZone, tierLabel, typeLabel } from './format';
import { addLocales, list, mountLocalePicker, onLocaleChange, t } from './i18n';
import { commandFor, helpRows, type Command } from './keys';
import { createMap, renderJurisdictions, renderRoads } from './map/base';
import { addDraftPoint, draftCoordinates, isDrawing, renderClosures, startDrawing, stopDrawing, undoDraftPoint } from './map/closures';
import { focusIncident, syncIncidentMarkers } from './map/incidents';
import { syncAccessPoints } from './map/access-points';
import { drawStreetLabels } from './map/street-labels';
import { isLocationCommand, locationHtml, noteFix } from './positions';
import { runLocationCommand, startClockSkewWatch } from './location-actions';
import { syncDevicePoints } from './map/device-points';
import { focusUnit, moveUnitMarker, syncRoutes, syncUnitMarkers, unitMarkers } from './map/units';
import { canAssignTo, closeRefusal, recommendedUnitIds, renderDetail, tierMoveRefusal } from './panel/detail';
import { flashHeader, renderCounters, setConnection, tickClock } from './panel/header';
import { matchesFilter, renderQueues, tickAges, unitsShown, type IncidentFilter } from './panel/incidents';
import { renderUnitBoard } from './panel/units';
import { connectSocket, resubscribe, type ConnectionState } from './socket';
import { Store, type StoreNotice } from './store';
import type { CadEvent, Jurisdiction, Recommendations, Unit } from './types';
import { CAPABILITIES } from '@cad/domain/units';
import { createCoverageLayer } from './map/coverage';
import { createLifelinesLayer } from './map/lifelines';
import { setUpDrillControl } from './drill';
import { startStallBanner } from './stall-banner';
import { startOfflineBanner } from './offline-banner';
import { CallOutbox, isOutage } from './call-outbox';
import { setUpOfflineAudit } from './offline-audit';
import { firstPasswordFromLink, setUpAccountsPanel, setUpOwnPassword } from './accounts';
import { setUpAlerts } from './alerts/panel';
import { setUpSituation } from './situation';
import { ackAlertStats, noteAckEvent, reloadAckAlerts, setUpAckAlerts } from './ack-alerts';
import { keepUnitMessageTyping, loadUnitMessages, noteUnitMessageEvent, renderUnitMessages, setUpUnitMessages } from './unit-messages';
import { loadPremiseNotes, premiseNotesHtml } from './premise-notes';
import { hospitalsHtml, loadHospitals, noteHospitalEvent, setUpHospitals } from './hospitals';
import { setUpHistory } from './history';
import { noteParEvent, parAlertStats, reloadParTimers, setUpParAlerts } from './par-alerts';
import { askDisposition, callerFromForm, keepCallRecordTyping, closeWithDisposition, loadCallRecord, noteCallRecordEvent, renderCallRecord, saveCaller, setUpCallRecord } from './call-record';
import { countedInView, countedUnits, listedInView, setUpWorldSwitch, worldLabel } from './world';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

// Every locale file of libs/i18n is bundled; the one the user chose (or the browser prefers) is shown.
addLocales(import.meta.glob('../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));
mountLocalePicker($('signin-locale-host'), 'signin-locale-select'); // before signing in, too

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
  keepCallRecordTyping(detailEl);
  keepUnitMessageTyping(detailEl);
  renderDetail(detailEl, shownIncident, { timeline, recommendations, units: store.units, features, canWarnPublic: currentUser()?.role === 'city_commander' });
  if (shownIncident) detailEl.querySelector('.detail-address')?.insertAdjacentHTML('afterend', locationHtml(shownIncident, features.locationChange && !readOnly()));
  detailEl.querySelector('.detail-address')?.insertAdjacentHTML('afterend', premiseNotesHtml(shownIncident?.id));
  renderCallRecord(detailEl, shownIncident, !readOnly());
  renderUnitMessages(detailEl, shownIncident, !readOnly());
  detailEl.querySelector('.detail-actions')?.insertAdjacentHTML('beforebegin', hospitalsHtml(shownIncident, !readOnly()));
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
        noteCallRecordEvent(n.event);
        noteUnitMessageEvent(n.event);
        noteHospitalEvent(n.event);
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
      showStatus(t('status.snapshotFailed', { error: (err as Error).message, count: Math.round(wait / 1000) }));
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
  loadCallRecord(id, !readOnly(), id ? store.incidents.get(id)?.type : undefined);
  loadUnitMessages(id ? store.incidents.get(id) : undefined);
  loadPremiseNotes(id, renderSelected);
  loadHospitals(id);
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
    $('reason-error').textContent = t('reason.required');
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

/** Whether an incident command must give a reason (its texts are the messages `action.<name>.*`). */
const ACTION_REQUIRED: Record<IncidentAction, boolean> = { escalate: true, deescalate: true, close: false, cancel: true };

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
    toast(t('action.cannotClose', { why: closeRefusal(selected) }), true);
    return;
  }
  // Closing asks for a disposition code from the server's list (required), the other commands for a reason.
  const disposition = action === 'close' ? await askDisposition() : undefined;
  if (disposition === null) return;
  const text = disposition ? '' : await askReason(t(`action.${action}.title`), t(`action.${action}.field`), ACTION_REQUIRED[action]);
  if (text === null) return;
  try {
    if (disposition) await closeWithDisposition(id, disposition.code, disposition.note);
    else await incidentAction(id, action, text);
    if (action === 'cancel') {
      lastCancelled = id;
      toast(t('action.cancel.doneUndo'));
    } else toast(t(`action.${action}.done`));
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
    toast(t('merge.notOpen', { status: label(self.status) }), true);
    return;
  }
  // Candidates: other open incidents of the same kind of work (live with live, a drill's with its own).
  const open = [...store.incidents.values()].filter(
    (i) => i.id !== id && i.exercise === self.exercise && (i.drillId ?? null) === (self.drillId ?? null) && ['received', 'dispatched', 'en_route', 'on_scene'].includes(i.status),
  );
  const which = await askReason(t('merge.which'), t('merge.callNumber', { example: open[0]?.callNumber ?? open[0]?.id.slice(0, 8) ?? '…' }), true);
  if (which === null) return;
  const w = which.trim().toLowerCase();
  const into = open.find((i) => (i.callNumber ?? '').toLowerCase() === w) ?? open.find((i) => i.id.toLowerCase().startsWith(w));
  if (!into) {
    toast(t('merge.noSuch', { call: isolateText(which) }), true);
    return;
  }
  const reason = await askReason(t('merge.why', { call: into.callNumber ?? into.id.slice(0, 8), type: isolateText(typeLabel(into.type)) }), t('reason.reason'), true);
  if (reason === null) return;
  try {
    await mergeIncident(id, into.id, reason);
    toast(t('merge.done'));
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
  const which = await askReason(t('request.title'), t('request.field'), true);
  if (which === null) return;
  // A capability by its code (`engine`) or its name in the language shown (`消防车`).
  const byName = new Map(CAPABILITIES.map((c) => [capabilityLabel(c).toLowerCase(), c as string]));
  const capabilities = which
    .split(/[,，、;；\s]+/)
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean)
    .map((c) => byName.get(c) ?? c);
  const reason = await askReason(t('request.why'), t('reason.reason'), true);
  if (reason === null) return;
  try {
    const r = (await requestResources(id, capabilities, reason)) as { sent?: unknown[]; unfilled?: unknown[] } | null;
    toast(r?.unfilled?.length ? t('request.doneUnfilled', { count: r?.sent?.length ?? 0, unfilled: r.unfilled.length }) : t('request.done', { count: r?.sent?.length ?? 0 }));
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
        toast(t('newCall.linked', { incident: isolateText(store.incidents.get(c.incidentId)?.address ?? c.incidentId) }));
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
    toast(t(recommendations.slots.length ? 'accept.noneAvailable' : 'accept.planFilled'), true);
    return;
  }
  try {
    const r = await acceptRecommendations(id);
    if (!r.assigned.length && !r.refused.length) toast(t('accept.planFilled'));
    else if (r.refused.length)
      toast(
        t('accept.sentRefused', {
          sent: r.assigned.length ? list(r.assigned.map((a) => a.unitId)) : t('accept.noUnit'),
          refused: list(r.refused.map((x) => t('accept.refusedUnit', { unit: x.unitId, reason: isolateText(x.reason) }))),
        }),
        true,
      );
    else toast(t('accept.sent', { units: list(r.assigned.map((a) => a.unitId)) }));
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
  /** `typed`: coordinates typed by hand (the caller's device location, read out): kept when an address is typed after them. */
  by: 'centre' | 'address' | 'map' | 'typed' | 'none';
  address: string;
}
let callPlacement: CallPlacement = { by: 'centre', address: '' };
/** The last address lookup asked of the server: one request per address text, however many Tabs and Enters. */
let addressLookup: { q: string; answer: Promise<Geocoded | GeocodeMiss> } | null = null;
/** Why the last address lookup could not be made (network, server), or null when it answered. */
let lookupFailure: string | null = null;
/** True while a call is being posted (a second Enter must not post it twice). */
let callSubmitting = false;

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
  // Typed coordinates are the caller's location: an address typed after them is sent with them, and the
  // server checks one against the other (a mismatch is flagged, dispatch goes to the address).
  if (callPlacement.by === 'typed') return true;
  return (callPlacement.by === 'address' || callPlacement.by === 'map') && callPlacement.address === q;
}

/** Puts a position chosen by hand (map click or typed coordinates) on the call, for the address as typed. */
function placeCallByHand(text: string, by: 'map' | 'typed' = 'map'): void {
  callPlacement = { by, address: callAddress() };
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
        showCallLocated(t('newCall.notFound', { address: isolateText(q), why: r.miss }), true);
        return;
      }
      $<HTMLInputElement>('call-lat').value = r.lat.toFixed(6);
      $<HTMLInputElement>('call-lon').value = r.lon.toFixed(6);
      callPlacement = { by: 'address', address: q };
      const where = r.streetId ? (jurisdictions.find((j) => j.id === r.streetId)?.name ?? '') : '';
      const values = { matched: isolateText(r.matched), precision: t(`newCall.precision.${r.precision}`, { defaultValue: r.precision }), street: isolateText(where) };
      const rough = r.precision === 'street';
      const key = where ? (rough ? 'newCall.locatedInRough' : 'newCall.locatedIn') : rough ? 'newCall.locatedRough' : 'newCall.located';
      showCallLocated(t(key, values), rough);
      if ($('call-error').textContent) $('call-error').textContent = '';
    },
    (err: Error) => {
      if (addressLookup?.q === q) addressLookup = null; // a network failure is asked again next time
      if (callAddress() !== q || callPositionHolds()) return;
      lookupFailure = err.message;
      showCallLocated(t('newCall.lookupFailed', { error: err.message }), true);
    },
  );
}
$('call-address').addEventListener('change', () => void lookUpAddress());
// An edited address invalidates the position it had (the map centre, the previous address, an earlier
// click): the fields are emptied until the new address is located or the map is clicked.
$('call-address').addEventListener('input', () => {
  if (callPlacement.by === 'typed') {
    // Coordinates typed by hand are never replaced silently by an address typed after them.
    showCallLocated(t(callAddress() ? 'newCall.typedKept' : 'newCall.placedTyped'));
    return;
  }
  if (callPlacement.by !== 'none') {
    callPlacement = { by: 'none', address: '' };
    $<HTMLInputElement>('call-lat').value = '';
    $<HTMLInputElement>('call-lon').value = '';
  }
  showCallLocated(t(callAddress() ? 'newCall.notLocatedYet' : 'newCall.typeAddress'));
});
// Coordinates typed by hand win over the lookup, as a map click does.
for (const f of ['call-lat', 'call-lon']) {
  $(f).addEventListener('input', () => placeCallByHand(t('newCall.placedTyped'), 'typed'));
}

function openCallForm(): void {
  if (callDlg.open) return;
  const c = ctx.map.getCenter();
  $<HTMLInputElement>('call-lat').value = c.lat.toFixed(6);
  $<HTMLInputElement>('call-lon').value = c.lng.toFixed(6);
  callPlacement = { by: 'centre', address: '' };
  addressLookup = null;
  showCallLocated(t('newCall.hint'));
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
    toast(t('reopen.nothing'), true);
    return;
  }
  try {
    await reopenIncident(id);
    lastCancelled = null;
    toast(t('reopen.done'));
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
/** Calls taken while CAD was down, sent when it is back (see call-outbox.ts). */
const callOutbox = new CallOutbox(localStorage);
/** The audit of calls taken offline (toolbar button and dialog). */
const offlineAudit = setUpOfflineAudit(callOutbox, esc);

/** Sends the calls kept while CAD was down, in the order taken, says how many went, and updates the audit. */
function flushCallOutbox(): void {
  if (!callOutbox.list().length) return;
  void callOutbox.flush((c) => createCall(c)).then((r) => {
    if (r.sent.length) toast(t('offline.callsSent', { count: r.sent.length }));
    for (const x of r.refused) toast(t('offline.callRefused', { type: x.call.type, error: x.error }));
    offlineAudit.refresh();
  });
}

async function submitCall(): Promise<void> {
  $('call-error').textContent = '';
  await lookUpAddress();
  const address = callAddress();
  if (!callPositionHolds()) {
    $('call-error').textContent = address
      ? lookupFailure
        ? t('newCall.errorLookupFailed', { address: isolateText(address), error: lookupFailure })
        : t('newCall.errorNotLocated', { address: isolateText(address) })
      : t('newCall.errorNoPosition');
    return;
  }
  const lat = coordinate('call-lat');
  const lon = coordinate('call-lon');
  const type = $<HTMLInputElement>('call-type').value.trim();
  const notes = $<HTMLTextAreaElement>('call-notes').value.trim();
  if (!type) {
    $('call-error').textContent = t('newCall.errorType');
    return;
  }
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
    $('call-error').textContent = t('newCall.errorCoordinates');
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
  const caller = callerFromForm();
  if (caller && 'error' in caller) {
    $('call-error').textContent = caller.error;
    return;
  }
  if ($<HTMLInputElement>('call-exercise').checked) {
    // An exercise call belongs to a drill: it joins the one running (its report and clean-up include it).
    const drillId = await runningDrillId().catch(() => null);
    if (!drillId) {
      $('call-error').textContent = t('newCall.errorNoDrill');
      return;
    }
    Object.assign(body, { exercise: true, drillId });
  }
  $<HTMLButtonElement>('call-submit').disabled = true;
  try {
    const created = await createCall(body);
    // The caller's name and number are kept apart from the call (never in the event log); the call stands if they fail.
    if (caller) await saveCaller(created.id, caller).catch((err: Error) => toast(t('callRecord.callerNotSaved', { error: err.message }), true));
    awaitingCall = { type: body.type.normalize('NFC'), lat, lon };
    closeCallForm();
    toast(t('newCall.created'));
    void followCall(created.id);
  } catch (err) {
    if (isOutage(err) && !$<HTMLInputElement>('call-exercise').checked) {
      // CAD is down: the call is kept with the time it was taken and sent when CAD is back.
      callOutbox.keep(body);
      closeCallForm();
      toast(t('offline.callKept', { n: callOutbox.list().length }));
      return;
    }
    $('call-error').textContent = (err as Error).message;
  } finally {
    $<HTMLButtonElement>('call-submit').disabled = false;
  }
}

// Help
$('help-table').innerHTML = helpRows(esc);
onLocaleChange(() => ($('help-table').innerHTML = helpRows(esc)));
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
  $('post-btn').textContent = user ? t('auth.postSignOut', { name: user.displayName }) : '';
  // The filter offers the post's own jurisdictions: a district its streets, a street itself, the city all.
  const levelOrder = { city: 0, district: 1, street: 2 } as const;
  const mine = (x: Jurisdiction) => !j || j.level === 'city' || x.id === j.id || x.parentId === j.id;
  const sorted = jurisdictions
    .filter((x) => x.level !== 'city' && mine(x))
    .sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.name.localeCompare(b.name, undefined, { numeric: true }));
  $('filter-juris').innerHTML = `${!j || j.level === 'city' ? `<option value="">${esc(t('filter.wholeCity'))}</option>` : ''}${sorted
    .map((x) => `<option value="${esc(x.id)}">${esc(t('filter.jurisdictionOption', { name: x.name, level: tierLabel(x.level) }))}</option>`)
    .join('')}`;
  filter.jurisdictionId = j && j.level !== 'city' ? j.id : '';
  $<HTMLSelectElement>('filter-juris').value = filter.jurisdictionId;
  scheduleRender();
}
// A change of language draws every view again (the jurisdiction filter keeps its choice).
onLocaleChange(() => {
  const keep = filter.jurisdictionId;
  applyPost();
  filter.jurisdictionId = keep;
  $<HTMLSelectElement>('filter-juris').value = keep;
  setConnection(($('conn-status').dataset.state as ConnectionState | undefined) ?? 'connecting');
  tickClock();
  renderAll();
});
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
    toast(t('closure.lifted'));
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
    toast(t('closure.twoPoints'), true);
    return;
  }
  const reason = await askReason(t('closure.title'), t('reason.reason'), true);
  if (reason === null) return;
  try {
    await createRoadClosure(coords, reason);
    stopDrawing(ctx);
    $('draw-hint').hidden = true;
    toast(t('closure.saved'));
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
    placeCallByHand(t('newCall.placedClicked'));
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
      .then(() => toast(t('newCall.unlinked')))
      .catch((err) => toast((err as Error).message, true));
  } else if (cmd === 'override' && selectedId && btn.dataset.capability) {
    void overrideSlot(selectedId, btn.dataset.capability);
  } else if (cmd === 'record-status' && btn.dataset.assignmentId && btn.dataset.status) {
    void recordStatus(btn.dataset.assignmentId, btn.dataset.status);
  } else if (isLocationCommand(cmd) && selectedId && store.incidents.has(selectedId)) {
    void runLocationCommand(cmd, store.incidents.get(selectedId)!, toast);
  } else runCommand(cmd as Command);
});
setUpCallRecord(detailEl, renderSelected, toast);
setUpUnitMessages(detailEl, renderSelected, toast);
setUpHospitals(detailEl, renderSelected, toast);
setUpHistory(document.querySelector<HTMLElement>('.toolbar')!, detailEl, {
  toast,
  show: (inc) => {
    store.putIncident(inc);
    select(inc.id);
  },
  units: () => store.units,
  readOnly,
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
  const callsign = inc?.assignments.find((a) => a.id === assignmentId)?.callsign ?? t('radio.unit');
  const text = label(status === 'cleared' ? 'available' : status);
  try {
    const r = (await patchAssignment(assignmentId, status, new Date().toISOString())) as { applied?: boolean } | null;
    toast(t(r?.applied === false ? 'radio.notApplied' : 'radio.recorded', { callsign, status: text }));
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
    toast(t('assign.typeUnit'), true);
    return;
  }
  const upper = typed.toUpperCase();
  const unit = [...store.units.values()].find((u) => u.id.toUpperCase() === upper || u.callsign.toUpperCase() === upper);
  const unitId = unit?.id ?? upper;
  try {
    await assignUnit(incidentId, unitId);
    toast(t('assign.done', { callsign: unit?.callsign ?? unitId }));
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
    toast(t('assign.selectFirst'), true);
    return;
  }
  if (!canAssignTo(inc)) {
    toast(t('assign.noMore', { status: label(inc.status) }), true);
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
    toast(t('units.backDone', { callsign: u?.callsign ?? unitId }));
  } catch (err) {
    toast((err as Error).message, true);
  }
}

async function overrideSlot(incidentId: string, capability: string): Promise<void> {
  const candidates = [...store.units.values()].filter((u) => u.status === 'available' && u.capabilities.includes(capability));
  const choice = await askReason(
    t('override.title', { capability: capabilityLabel(capability), examples: list(candidates.slice(0, 6).map((u) => u.callsign)) }),
    t('override.unit'),
    true,
  );
  if (choice === null) return;
  const unit = candidates.find((u) => u.callsign.toLowerCase() === choice.toLowerCase() || u.id === choice);
  if (!unit) {
    toast(t('override.noSuch', { capability: capabilityLabel(capability), unit: isolateText(choice) }), true);
    return;
  }
  const reason = await askReason(t('override.why', { callsign: unit.callsign }), t('reason.reason'), true);
  if (reason === null) return;
  try {
    await overrideRecommendation(incidentId, unit.id, reason);
    toast(t('override.done', { callsign: unit.callsign }));
    refreshRecommendations(incidentId);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

// ---- keyboard ----
function runCommand(cmd: Command): void {
  if (readOnly() && WRITE_COMMANDS.includes(cmd)) {
    toast(t('auth.observer'), true);
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
  showStatus(t('common.loading'));
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
    fetchRoads().then((r) => {
      renderRoads(ctx, r);
      drawStreetLabels(ctx, r);
    }),
  ]).then((results) => {
    for (const r of results) if (r.status === 'rejected') console.warn('map layer failed', r.reason);
  });
  await Promise.all([reloadSnapshot(), staticLayers, probed]);
  const coverage = features.coverage ? createCoverageLayer(ctx, () => jurisdictions.filter((j) => j.level === 'street'), toast) : null;
  createLifelinesLayer(ctx);
  setUpDrillControl(toast);
  startStallBanner();
  const offline = startOfflineBanner(document, flushCallOutbox);
  setUpAccountsPanel(toast);
  setUpOwnPassword(toast, adoptToken);
  setUpAlerts(ctx, () => jurisdictions, toast);
  setUpSituation(toast);
  setUpAckAlerts({
    incident: (id) => store.incidents.get(id),
    toast,
    open: (id) => {
      select(id);
      focusIncident(ctx, id);
    },
  });
  setUpParAlerts((id) => store.incidents.get(id), toast);
  setUpWorldSwitch(scheduleRender, (world) => request<Unit[]>('GET', `/api/units?world=${encodeURIComponent(world)}`));

  const socket = connectSocket({
    lastSeq: () => store.lastSeq,
    onEvent: (ev) => {
      if (loadingSnapshot) queued.push(ev);
      else store.applyEvent(ev);
      if (ev.type === 'unit.status') coverage?.refreshSoon();
      if (ev.type.startsWith('moveup.')) coverage?.moveUpsChanged();
      noteAckEvent(ev);
      noteParEvent(ev);
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
      void reloadAckAlerts();
      void reloadParTimers();
    },
    onConnection: (state) => {
      setConnection(state);
      offline.socket(state);
    },
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
    ackAlerts: ackAlertStats,
    parAlerts: parAlertStats,
    unitMarkers: () => unitMarkers.size,
  };
}

void start();
