/** Dispatcher console entry point: load the REST snapshot, then stream events over socket.io. */
import 'leaflet/dist/leaflet.css';
import './styles.css';
import { fetchJurisdictions, fetchRoads, fetchSnapshot, fetchUnits, type Snapshot } from './api';
import { setClock } from './clock';
import { createMap, renderJurisdictions, renderRoads } from './map/base';
import { focusIncident, syncIncidentMarkers } from './map/incidents';
import { focusUnit, moveUnitMarker, syncRoutes, syncUnitMarkers } from './map/units';
import { flashHeader, renderCounters, setConnection, tickClock } from './panel/header';
import { renderIncidentList, tickAges } from './panel/incidents';
import { renderUnitBoard } from './panel/units';
import { connectSocket, resubscribe } from './socket';
import { Store, type StoreNotice } from './store';
import type { CadEvent } from './types';

const store = new Store();
const ctx = createMap(document.getElementById('map')!);
const incidentListEl = document.getElementById('incident-list')!;
const unitCountsEl = document.getElementById('unit-counts')!;
const unitListEl = document.getElementById('unit-list')!;
const statusEl = document.getElementById('load-status')!;

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
  syncIncidentMarkers(ctx, store.incidents);
  syncUnitMarkers(ctx, store.units);
  syncRoutes(ctx, store.incidents, store.units);
  renderIncidentList(incidentListEl, store.incidents);
  renderUnitBoard(unitCountsEl, unitListEl, store.units);
  renderCounters(store.incidents, store.units, store.lastSeq);
  if (flashPending) {
    flashPending = false;
    flashHeader();
  }
}

let unitReload: number | null = null;
store.subscribe((notices: StoreNotice[]) => {
  for (const n of notices) {
    if (n.kind === 'new-incident' && n.incident.priority === 1 && !loadingSnapshot) flashPending = true;
    if (n.kind === 'unknown-unit' && unitReload === null) {
      // A unit we don't know appeared: refresh the unit list once (debounced).
      unitReload = window.setTimeout(() => {
        fetchUnits()
          .then((units) => store.loadUnits(units))
          .catch((err) => console.warn('unit reload failed', err))
          .finally(() => (unitReload = null));
      }, 500);
    }
  }
  scheduleRender();
});

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

// ---- panel interactions ----
incidentListEl.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.incident-row');
  if (row?.dataset.incidentId) focusIncident(ctx, row.dataset.incidentId);
});
incidentListEl.addEventListener('keydown', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.incident-row');
  if (e.key === 'Enter' && row?.dataset.incidentId) focusIncident(ctx, row.dataset.incidentId);
});
unitListEl.addEventListener('click', (e) => {
  const chip = (e.target as HTMLElement).closest<HTMLElement>('.unit-chip');
  if (chip?.dataset.unitId) focusUnit(ctx, chip.dataset.unitId);
});

// ---- start-up ----
async function start(): Promise<void> {
  tickClock();
  showStatus('Loading…');
  const staticLayers = Promise.allSettled([
    fetchJurisdictions().then((j) => renderJurisdictions(ctx, j)),
    fetchRoads().then((r) => renderRoads(ctx, r)),
  ]).then((results) => {
    for (const r of results) if (r.status === 'rejected') console.warn('map layer failed', r.reason);
  });
  await Promise.all([reloadSnapshot(), staticLayers]);

  const socket = connectSocket({
    lastSeq: () => store.lastSeq,
    onEvent: (ev) => {
      if (loadingSnapshot) queued.push(ev);
      else store.applyEvent(ev);
    },
    onAvl: (msg) => {
      for (const p of msg.positions) {
        if (store.moveUnit(p.unitId, p.lat, p.lon)) moveUnitMarker(p.unitId, p.lat, p.lon);
      }
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

  window.setInterval(() => {
    tickClock();
    tickAges(incidentListEl);
  }, 1000);

  // Handy for debugging and end-to-end tests (read-only use intended).
  (window as unknown as { __cadConsole: unknown }).__cadConsole = { store, map: ctx.map, socket };
}

void start();
