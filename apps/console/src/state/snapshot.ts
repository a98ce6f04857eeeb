/**
 * The REST snapshot and resync: the snapshot is loaded (retried with backoff) at start, after a sign-in
 * and when the socket's replay gap is too old; live events that arrive meanwhile are queued and applied
 * after it. Incidents an event changed beyond its payload, and units the store does not know, are
 * re-read over REST (debounced).
 */
import { fetchIncident, fetchSnapshot, fetchUnits, type Snapshot } from '../api';
import { setClock } from '../clock';
import { showStatus } from '../dom';
import { setTimeZone } from '../format';
import { t } from '../i18n';
import { tickClock } from '../panel/header';
import type { CadEvent } from '../types';
import type { ConsoleState } from './console-state';

/** Loads snapshots into the console's store and re-reads what went stale. */
export class SnapshotSync {
  /** True while a snapshot is being loaded (live events are queued). */
  loading = false;
  private queued: CadEvent[] = [];
  private readonly staleIncidents = new Set<string>();
  private staleTimer: number | null = null;
  private unitReload: number | null = null;
  private readonly reloaded: (() => void)[] = [];

  constructor(private readonly state: ConsoleState) {}

  /** Applies a live event, or queues it while a snapshot is loading. */
  accept(ev: CadEvent): void {
    if (this.loading) this.queued.push(ev);
    else this.state.store.applyEvent(ev);
  }

  /** Loads the snapshot (one at a time), then applies the events that arrived meanwhile. */
  async reload(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.queued = [];
    try {
      const snap = await loadSnapshotWithRetry();
      this.state.store.loadSnapshot(snap);
      this.state.snapshotLoads++;
      setTimeZone(snap.state.timeZone);
      setClock(snap.state.clock);
      tickClock();
      showStatus('');
    } finally {
      this.loading = false;
    }
    const pending = this.queued;
    this.queued = [];
    for (const ev of pending) this.state.store.applyEvent(ev);
    // A reload may follow a gap too old to replay (a resync): what the selected card read apart may miss events.
    for (const f of this.reloaded) f();
  }

  /** Calls `f` after every snapshot load (and the events queued meanwhile) is applied. */
  onReloaded(f: () => void): void {
    this.reloaded.push(f);
  }

  /** Re-reads these incidents over REST in 150 ms (several marks in that time make one pass). */
  markStale(...ids: string[]): void {
    for (const id of ids) this.staleIncidents.add(id);
    this.staleTimer ??= window.setTimeout(() => this.reloadStaleIncidents(), 150);
  }

  /** Re-reads the unit list once in 500 ms (a unit the store does not know appeared). */
  reloadUnitsSoon(): void {
    if (this.unitReload !== null) return;
    this.unitReload = window.setTimeout(() => {
      const mark = this.state.store.changeCount;
      fetchUnits()
        .then((units) => this.state.store.loadUnits(units, mark))
        .catch((err) => console.warn('unit reload failed', err))
        .finally(() => (this.unitReload = null));
    }, 500);
  }

  private reloadStaleIncidents(): void {
    this.staleTimer = null;
    const ids = [...this.staleIncidents];
    this.staleIncidents.clear();
    for (const id of ids) this.refreshIncident(id);
  }

  /**
   * Reads one incident over REST into the store; when an event changed it while the read was in flight
   * (the read may predate it: a close, a task on scene), the view is left out and read again.
   */
  refreshIncident(id: string): void {
    const { store } = this.state;
    const mark = store.markOf(`i:${id}`);
    fetchIncident(id)
      .then((inc) => {
        if (!store.putIncident(inc, mark)) this.markStale(id);
      })
      .catch((err) => console.warn('incident reload failed', id, err));
  }
}

/** `GET /api/snapshot`, retried after 0.5, 1, 2, 4, 8, 10, 10… seconds, saying why in the status line. */
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
