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

/** The console's state (one per page). */
export class ConsoleState {
  readonly store = new Store();
  features: Features = NO_FEATURES;
  readonly filter: IncidentFilter = { tier: '', jurisdictionId: '' };
  selectedId: string | null = null;
  /** Incident ids in the order shown (pending, active, resolved): J/K walk it. */
  order: string[] = [];
  /** The selected incident's events (undefined until loaded). */
  timeline: CadEvent[] | undefined;
  /** The selected incident's recommendations: undefined until asked, null when the server could not give them. */
  recommendations: Recommendations | null | undefined;
  /** Snapshots loaded since the page opened (read by the end-to-end tests). */
  snapshotLoads = 0;
  jurisdictions: Jurisdiction[] = [];
  /** A call created from the form: its incident is selected when it arrives. */
  awaitingCall: { type: string; lat: number; lon: number } | null = null;
  /** The incident this console cancelled last, for Z (undo: reopen it). */
  lastCancelled: string | null = null;

  constructor(readonly ctx: MapContext) {}

  /** The selected incident, if it is in the store. */
  selected(): Incident | undefined {
    return this.selectedId ? this.store.incidents.get(this.selectedId) : undefined;
  }
}

/** Whether the signed-in post is an observer (read-only console). */
export function readOnly(): boolean {
  return document.body.classList.contains('read-only');
}
