/**
 * What the dispatcher console holds between events: the store of incidents and units, the map, the
 * server's features, the filter, the selected incident with its timeline and recommendations, and the
 * jurisdictions. One object, handed to the panels, forms and commands that read or change it.
 */
import type { MapContext } from '../map/base';
import { NO_FEATURES, type Features } from '../features';
import type { IncidentFilter } from '../panel/incidents';
import { Store } from '../store';
import type { CadEvent, Incident, Jurisdiction, Recommendations } from '../types';
import { LiveRead } from './live-read';

/** The console's state (one per page). */
export class ConsoleState {
  readonly store = new Store();
  features: Features = NO_FEATURES;
  readonly filter: IncidentFilter = { tier: '', jurisdictionId: '' };
  selectedId: string | null = null;
  /** Incident ids in the order shown (pending, active, resolved): J/K walk it. */
  order: string[] = [];
  /** The selected incident's events, oldest first (undefined until loaded). */
  timeline: CadEvent[] | undefined;
  /**
   * The selected incident's timeline read over REST: that read can be answered from before an event
   * committed while the event itself reaches the socket first (the line must still show when the read
   * lands), and reads land out of order (select A, B, A again): see {@link LiveRead}.
   */
  private readonly timelineReads = new LiveRead<CadEvent>();
  /** The selected incident's recommendations: undefined until asked, null when the server could not give them. */
  recommendations: Recommendations | null | undefined;
  /** Snapshots loaded since the page opened (read by the end-to-end tests). */
  snapshotLoads = 0;
  jurisdictions: Jurisdiction[] = [];
  /** A call created from the form: its incident is selected when it arrives. */
  awaitingCall: { type: string; lat: number; lon: number; selectedBefore: string | null } | null = null;
  /** The incident this console cancelled last, for Z (undo: reopen it). */
  lastCancelled: string | null = null;

  constructor(readonly ctx: MapContext) {}

  /** Forgets the timeline of the incident selected before (a new selection loads its own); a read of it still in flight is dropped. */
  resetTimeline(): void {
    this.timeline = undefined;
    this.timelineReads.cancel();
  }

  /** Takes an event of the selected incident that arrived live, whether or not its timeline has loaded. */
  noteSelectedEvent(event: CadEvent): void {
    this.timelineReads.note(event);
    if (this.timeline) this.timeline = mergeTimeline(this.timeline, [event]);
  }

  /**
   * Reads the selected incident's timeline with `read` (`GET /api/incidents/:id/events`) and adopts it
   * with every event that arrived live while it was in flight; the timeline shown stays until it lands.
   * @returns true when adopted; false when another read (or a new selection) came after it
   * @throws what `read` throws
   */
  async loadTimeline(read: () => Promise<CadEvent[]>): Promise<boolean> {
    const r = await this.timelineReads.run(
      read,
      (events) => (this.timeline = mergeTimeline(events, [])),
      (live) => (this.timeline = mergeTimeline(this.timeline ?? [], live)),
    );
    return r === 'adopted';
  }

  /** The selected incident, if it is in the store. */
  selected(): Incident | undefined {
    return this.selectedId ? this.store.incidents.get(this.selectedId) : undefined;
  }
}

/** Two lists of one incident's events as one, each sequence number once, oldest first. */
function mergeTimeline(a: CadEvent[], b: CadEvent[]): CadEvent[] {
  const bySeq = new Map([...a, ...b].map((e) => [e.seq, e]));
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

/** Whether the signed-in post is an observer (read-only console). */
export function readOnly(): boolean {
  return document.body.classList.contains('read-only');
}
