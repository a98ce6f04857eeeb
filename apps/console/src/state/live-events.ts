/**
 * The live side of the console: what the store's notices set off (select a call just taken, the
 * top-priority alarm, re-reads over REST, the selected incident's timeline) and the socket's events,
 * AVL positions, clock and resync requests.
 */
import type { Socket } from 'socket.io-client';
import { alertNewTopPriority } from '../alert';
import { noteAckEvent, reloadAckAlerts } from '../ack-alerts';
import { noteCallRecordEvent } from '../call-record';
import { setClock } from '../clock';
import { $ } from '../dom';
import { noteHospitalEvent } from '../hospitals';
import type { CoverageLayer } from '../map/coverage';
import { focusIncident } from '../map/incidents';
import { moveUnitMarker } from '../map/units';
import type { OfflineBanner } from '../offline-banner';
import type { ConsoleView } from '../panel/console-view';
import { recommendsUnitOf } from '../panel/detail';
import { setConnection, tickClock } from '../panel/header';
import { noteParEvent, reloadParTimers } from '../par-alerts';
import { noteFix } from '../positions';
import { connectSocket, resubscribe } from '../socket';
import type { StoreNotice } from '../store';
import { noteUnitMessageEvent } from '../unit-messages';
import type { ConsoleState } from './console-state';
import type { SnapshotSync } from './snapshot';
import { moveDrillUnits, noteDrillUnitEvent, onWorldViewChange, worldView } from '../world';

/** Reacts to the store's notices (then draws, coalesced). */
export function watchStore(state: ConsoleState, view: ConsoleView, sync: SnapshotSync): void {
  const bannerEl = $('alert-banner');
  state.store.subscribe((notices: StoreNotice[]) => {
    for (const n of notices) {
      switch (n.kind) {
        case 'new-incident': {
          const awaited = state.awaitingCall;
          if (awaited && n.incident.type === awaited.type && Math.abs(n.incident.lat - awaited.lat) < 1e-6 && Math.abs(n.incident.lon - awaited.lon) < 1e-6) {
            state.awaitingCall = null;
            // Not when the dispatcher has selected another incident since the call was taken.
            if (state.selectedId === awaited.selectedBefore || state.selectedId === null) window.setTimeout(() => view.select(n.incident.id), 0);
          }
          if (n.incident.priority === 1 && !n.incident.exercise && !sync.loading) {
            view.flashPending = true;
            alertNewTopPriority(bannerEl, n.incident, (id) => {
              view.select(id);
              focusIncident(state.ctx, id);
            });
          }
          break;
        }
        case 'unknown-unit':
          // A unit we don't know appeared: refresh the unit list once (debounced).
          sync.reloadUnitsSoon();
          break;
        case 'stale-incident':
          sync.markStale(n.incidentId);
          break;
        case 'event':
          noteCallRecordEvent(n.event);
          noteUnitMessageEvent(n.event);
          noteHospitalEvent(n.event);
          if (n.event.incidentId && n.event.incidentId === state.selectedId) {
            state.noteSelectedEvent(n.event);
            if (state.features.recommendations) view.refreshRecommendations(state.selectedId);
          } else if (state.selectedId && state.features.recommendations && recommendsUnitOf(state, n.event)) {
            // A unit the card recommends changed (taken by another incident, out of service): the card must not go on offering it.
            view.refreshRecommendations(state.selectedId);
          }
          break;
      }
    }
    view.scheduleRender();
  });
}

/** What the socket's events also reach besides the store. */
export interface LiveHooks {
  coverage: CoverageLayer | null;
  offline: OfflineBanner;
  /** Road closures changed (entered on another console, or opened and lifted by a drill scenario). */
  closuresChanged(): void;
  /** Draws the console again (coalesced): a drill unit stepped, outside the store. */
  redraw(): void;
}

/**
 * Connects the socket: events go to the store (queued during a snapshot), AVL fixes move markers once
 * per animation frame, and a resync reloads the snapshot and resumes after its sequence number.
 */
export function connectLive(state: ConsoleState, sync: SnapshotSync, hooks: LiveHooks): Socket {
  const { store } = state;
  /** Marker moves not drawn yet (latest position per unit). */
  const pendingMoves = new Map<string, { lat: number; lon: number }>();
  let moveFrame: number | null = null;
  const flushMoves = (): void => {
    moveFrame = null;
    for (const [unitId, p] of pendingMoves) moveUnitMarker(unitId, p.lat, p.lon);
    pendingMoves.clear();
  };
  const socket = connectSocket({
    lastSeq: () => store.lastSeq,
    onEvent: (ev) => {
      sync.accept(ev);
      // A drill crew's step moves its unit on the exercise view's board and map at once.
      if (noteDrillUnitEvent(ev)) hooks.redraw();
      if (ev.type === 'unit.status') hooks.coverage?.refreshSoon();
      if (ev.type.startsWith('moveup.')) hooks.coverage?.moveUpsChanged();
      noteAckEvent(ev);
      noteParEvent(ev);
      if (ev.type === 'road.closed' || ev.type === 'road.reopened') hooks.closuresChanged();
    },
    onAvl: (msg) => {
      for (const p of msg.positions) {
        noteFix(store.units.get(p.unitId), msg.at);
        // The live markers are drawn in the live view only (the exercise view draws the drill's fleet).
        if (store.moveUnit(p.unitId, p.lat, p.lon) && worldView() === 'live') pendingMoves.set(p.unitId, p);
      }
      if (pendingMoves.size && moveFrame === null) moveFrame = requestAnimationFrame(flushMoves);
    },
    onDrillAvl: (msg) => {
      const moved = moveDrillUnits(msg.world, msg.positions);
      if (worldView() !== 'exercise') return;
      for (const u of moved) pendingMoves.set(u.id, u);
      if (pendingMoves.size && moveFrame === null) moveFrame = requestAnimationFrame(flushMoves);
    },
    onClock: (clock) => {
      setClock(clock);
      tickClock();
    },
    onResync: () => {
      void sync.reload().then(() => resubscribe(socket, store.lastSeq));
      void reloadAckAlerts();
      void reloadParTimers();
    },
    onConnection: (connection) => {
      setConnection(connection);
      hooks.offline.socket(connection);
    },
  });
  // The drills' events come only while the exercise view is shown: on a switch, read the snapshot
  // again (what the socket did not send meanwhile) and follow the world chosen.
  onWorldViewChange(() => void sync.reload().then(() => resubscribe(socket, store.lastSeq)));
  return socket;
}
