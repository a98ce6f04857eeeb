/**
 * Dispatcher console entry point: wires the state (state/), the snapshot and live stream, the panels
 * (panel/), the forms (forms/) and the commands (commands/); then signs in, loads the REST snapshot
 * and streams events over socket.io.
 */
import 'leaflet/dist/leaflet.css';
import './styles.css';
import L from 'leaflet';
import { fetchJurisdictions, fetchRoads, request } from './api';
import { alertStats } from './alert';
import { ackAlertStats, setUpAckAlerts } from './ack-alerts';
import { setUpAccountsPanel, setUpOwnPassword, firstPasswordFromLink } from './accounts';
import { setUpAlerts } from './alerts/panel';
import { adoptToken, expired, token } from './auth';
import { IncidentCommands } from './commands/incident-commands';
import { setUpKeyboard, type CommandTargets } from './commands/keyboard';
import { setUpPanelClicks } from './commands/panel-clicks';
import { RoadClosures } from './commands/road-closures';
import { $, showStatus, toast } from './dom';
import { setUpDrillControl } from './drill';
import { probeFeatures } from './features';
import { CallForm } from './forms/call-form';
import { setUpReasonDialog } from './forms/reason-dialog';
import { askSignIn, setUpSignIn } from './forms/sign-in';
import { addLocales, mountLocalePicker, t } from './i18n';
import { startClockSkewWatch } from './location-actions';
import { createMap, renderJurisdictions, renderRoads } from './map/base';
import { addDraftPoint, isDrawing } from './map/closures';
import { createCoverageLayer } from './map/coverage';
import { focusIncident } from './map/incidents';
import { createLifelinesLayer } from './map/lifelines';
import { drawStreetLabels } from './map/street-labels';
import { unitMarkers } from './map/units';
import { startOfflineBanner } from './offline-banner';
import { ConsoleView } from './panel/console-view';
import { tickClock } from './panel/header';
import { tickAges, tickEtas } from './panel/incidents';
import { PostControls } from './panel/post';
import { parAlertStats, setUpParAlerts } from './par-alerts';
import { setUpSituation } from './situation';
import { startStallBanner } from './stall-banner';
import { ConsoleState } from './state/console-state';
import { connectLive, watchStore } from './state/live-events';
import { SnapshotSync } from './state/snapshot';
import { isOpen, type Unit } from './types';
import { getClock } from './clock';
import { openInitialView, setUpWorldSwitch } from './world';

// Every locale file of libs/i18n is bundled; the one the user chose (or the browser prefers) is shown.
addLocales(import.meta.glob('../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));
mountLocalePicker($('signin-locale-host'), 'signin-locale-select'); // before signing in, too

const state = new ConsoleState(createMap($('map')));
const view = new ConsoleView(state);
const sync = new SnapshotSync(state);
// After every snapshot reload the selected card, read apart from the snapshot, is read again.
sync.onReloaded(() => view.reloadSelected());
watchStore(state, view, sync);

setUpReasonDialog();
const callForm = new CallForm(state, view);
const closures = new RoadClosures(state);
const commands: CommandTargets = { state, view, callForm, closures, incidents: new IncidentCommands(state, view, sync) };
setUpKeyboard(commands);
const post = new PostControls(state, view);
setUpSignIn();
state.ctx.map.on('click', (e: L.LeafletMouseEvent) => {
  if (isDrawing()) addDraftPoint(e.latlng.lat, e.latlng.lng);
  else if (callForm.isOpen) callForm.placeFromMap(e.latlng.lat, e.latlng.lng);
});
setUpPanelClicks(commands);

/** Selects an incident and shows it on the map (an alert's "open"). */
function openIncident(id: string): void {
  view.select(id);
  focusIncident(state.ctx, id);
}

// ---- start-up ----
async function start(): Promise<void> {
  const { store, ctx } = state;
  tickClock();
  await firstPasswordFromLink(toast);
  if (!token()) await askSignIn();
  // A 401 later (token expired): sign in again, then reload the snapshot and reconnect the socket.
  window.addEventListener('cad:signed-out', () => {
    void askSignIn().then(() => {
      post.applyPost();
      const s = (window as unknown as { __cadConsole?: { socket: { connected: boolean; connect(): void } } }).__cadConsole?.socket;
      if (s && !s.connected) s.connect();
      void sync.reload();
    });
  });
  showStatus(t('common.loading'));
  const probed = probeFeatures().then((f) => {
    state.features = f;
    closures.showIfOffered();
  });
  const staticLayers = Promise.allSettled([
    fetchJurisdictions().then((j) => {
      renderJurisdictions(ctx, j);
      post.setJurisdictions(j);
    }),
    fetchRoads().then((r) => {
      renderRoads(ctx, r);
      drawStreetLabels(ctx, r);
    }),
  ]).then((results) => {
    for (const r of results) if (r.status === 'rejected') console.warn('map layer failed', r.reason);
  });
  await Promise.all([sync.reload(), staticLayers, probed]);
  const streets = () => state.jurisdictions.filter((j) => j.level === 'street');
  const coverage = state.features.coverage ? createCoverageLayer(ctx, streets, toast) : null;
  createLifelinesLayer(ctx);
  setUpDrillControl(toast);
  startStallBanner();
  const offline = startOfflineBanner(document, () => callForm.flushOutbox());
  setUpAccountsPanel(toast);
  setUpOwnPassword(toast, adoptToken);
  setUpAlerts(ctx, () => state.jurisdictions, toast);
  setUpSituation(toast);
  setUpAckAlerts({ incident: (id) => store.incidents.get(id), toast, open: openIncident });
  setUpParAlerts((id) => store.incidents.get(id), toast);
  setUpWorldSwitch(
    () => {
      tickClock(); // the clock is the live one or the drill's, by the view
      view.scheduleRender();
    },
    (world) => request<Unit[]>('GET', `/api/units?world=${encodeURIComponent(world)}`),
  );
  // A first visit (no world chosen before) on an empty live world while a drill runs opens the drill.
  openInitialView(getClock().drill, [...store.incidents.values()].filter((i) => !i.exercise && isOpen(i)).length);

  const socket = connectLive(state, sync, { coverage, offline, closuresChanged: () => closures.changed(), redraw: () => view.scheduleRender() });
  socket.on('connect_error', (err: Error) => {
    // The server refuses the handshake without a valid token: ask for a sign-in (the socket retries).
    if (/token|sign|auth|expired|jwt/i.test(err.message) && token()) expired();
  });

  const capabilityWarning = document.getElementById('capability-warning');
  if (capabilityWarning) startClockSkewWatch(capabilityWarning);

  window.setInterval(() => {
    tickClock();
    tickAges(view.queuesEl);
    tickAges(view.detailEl);
    tickEtas(view.queuesEl);
    tickEtas(view.detailEl);
  }, 1000);

  // Handy for debugging and end-to-end tests (read-only use intended).
  (window as unknown as { __cadConsole: unknown }).__cadConsole = {
    store,
    map: ctx.map,
    socket,
    features: () => state.features,
    selected: () => state.selectedId,
    snapshotLoads: () => state.snapshotLoads,
    alerts: alertStats,
    ackAlerts: ackAlertStats,
    parAlerts: parAlertStats,
    unitMarkers: () => unitMarkers.size,
  };
}

void start();
