/** Client-side state: open incidents, units and the last applied event sequence. */
import type { Snapshot } from './api';
import type { CadEvent, Incident, Unit, UnitStatus } from './types';
import { isLiveWorld } from './world';
import { isOpen, UNIT_STATUSES } from './types';

/** Something the UI may want to react to beyond a plain re-render. */
export type StoreNotice =
  | { kind: 'new-incident'; incident: Incident }
  | { kind: 'unknown-unit'; unitId: string }
  /** An event changed an incident in a way the payload does not describe: reload it over REST. */
  | { kind: 'stale-incident'; incidentId: string }
  /** Every applied event (for the timeline of the selected incident). */
  | { kind: 'event'; event: CadEvent };

type Listener = (notices: StoreNotice[]) => void;

/** Mutable application state with change notification (coalesced by the caller). */
export class Store {
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  /** Highest sequence number applied (what a reconnect asks to resume after). */
  lastSeq: number | null = null;
  private listeners: Listener[] = [];
  /** Events at or below this seq are covered by the snapshot. */
  private floor: number | null = null;
  /** Seqs applied since the snapshot: a replayed event can arrive after a newer live one, so "seq <= lastSeq" is not a duplicate test. */
  private seen = new Set<number>();
  /** Seq of the last event applied per entity (`i:<id>`, `a:<id>`, `u:<id>`): an older event never overwrites a newer one. */
  private entitySeq = new Map<string, number>();
  /** Counts the changes applied (events and snapshots): the marks a REST read is checked against. */
  private changes = 0;
  /** The change count at the last change to each incident (`i:<id>`, its tasks included) and unit (`u:<id>`). */
  private changedAt = new Map<string, number>();
  /** The change count at the last snapshot (it changed every incident and unit). */
  private snapshotAt = 0;

  /** Register a change listener; called after each batch of mutations. */
  subscribe(fn: Listener): void {
    this.listeners.push(fn);
  }

  private emit(notices: StoreNotice[] = []): void {
    for (const fn of this.listeners) fn(notices);
  }

  /** Replace incidents/units with a REST snapshot and adopt its lastSeq. */
  loadSnapshot(snap: Snapshot): void {
    this.incidents.clear();
    for (const inc of snap.incidents) if (isOpen(inc)) this.incidents.set(inc.id, normaliseIncident(inc));
    this.units.clear();
    for (const u of snap.units) this.units.set(u.id, u);
    this.lastSeq = snap.state.lastSeq;
    this.floor = snap.state.lastSeq;
    this.seen.clear();
    this.entitySeq.clear();
    this.changedAt.clear();
    this.snapshotAt = ++this.changes;
    this.emit();
  }

  /**
   * A mark of what the store holds of one incident (`i:<id>`) or unit (`u:<id>`). A REST read of it
   * started at this mark may replace it only while the mark still holds: an event applied meanwhile
   * may be newer than what the read answered ({@link putIncident}, {@link loadUnits}).
   */
  markOf(key: string): number {
    return Math.max(this.snapshotAt, this.changedAt.get(key) ?? 0);
  }

  /** Remembers an applied sequence number (memory bounded: the oldest half is forgotten behind a raised floor). */
  private remember(seq: number): void {
    this.seen.add(seq);
    if (this.seen.size > 20000) {
      const sorted = [...this.seen].sort((a, b) => a - b);
      for (const q of sorted.slice(0, 10000)) this.seen.delete(q);
      this.floor = Math.max(this.floor ?? -Infinity, sorted[9999]);
    }
  }

  /** Notes a change to an incident or unit (its mark moves on). */
  private touch(key: string): void {
    this.changedAt.set(key, ++this.changes);
  }

  /**
   * Replace the unit list (e.g. after an unknown unit showed up) with a REST read started at `mark`
   * (the store's {@link changeCount} then): a unit an event changed since keeps what the event said.
   */
  loadUnits(units: Unit[], mark = Infinity): void {
    const kept = new Map([...this.units].filter(([id]) => this.markOf(`u:${id}`) > mark));
    this.units.clear();
    for (const u of units) this.units.set(u.id, kept.get(u.id) ?? u);
    this.emit();
  }

  /** The count of changes applied so far: the mark of a read of many incidents or units. */
  get changeCount(): number {
    return this.changes;
  }

  /** True (and remembered) when `key` has seen nothing newer than `seq`. */
  private fresh(key: string, seq: number): boolean {
    const last = this.entitySeq.get(key);
    if (last !== undefined && last > seq) return false;
    this.entitySeq.set(key, seq);
    return true;
  }

  /**
   * Apply one sequenced event idempotently: an event already applied, or covered by the snapshot, is
   * ignored, and an event older than the last one applied to the same incident, assignment or unit does
   * not overwrite it (a replay may interleave with live events). Returns true if the event was new.
   */
  applyEvent(ev: CadEvent): boolean {
    if (typeof ev?.seq !== 'number') return false;
    if (this.seen.has(ev.seq)) return false;
    this.remember(ev.seq);
    if (this.floor !== null && ev.seq <= this.floor) {
      // The snapshot holds what it did to incidents and units, but not to the selected card's timeline,
      // narrative, messages or hospitals, read apart: they still hear of it (each keeps an event once).
      this.emit([{ kind: 'event', event: ev }]);
      return false;
    }
    if (ev.incidentId) this.touch(`i:${ev.incidentId}`);
    if (ev.unitId) this.touch(`u:${ev.unitId}`);
    this.lastSeq = this.lastSeq === null ? ev.seq : Math.max(this.lastSeq, ev.seq);
    const notices: StoreNotice[] = [{ kind: 'event', event: ev }];
    try {
      switch (ev.type) {
        case 'incident.created':
        case 'incident.updated': {
          const inc = ev.payload;
          if (!inc?.id) break;
          const known = this.incidents.has(inc.id);
          if (!this.fresh(`i:${inc.id}`, ev.seq)) break;
          this.touch(`i:${inc.id}`);
          if (isOpen(inc)) {
            this.incidents.set(inc.id, normaliseIncident(inc));
            if (ev.type === 'incident.created' && !known) notices.push({ kind: 'new-incident', incident: inc });
          } else {
            this.incidents.delete(inc.id);
          }
          break;
        }
        case 'assignment.created':
        case 'assignment.updated': {
          const p = ev.payload;
          const incidentId = p?.incidentId ?? ev.incidentId;
          const a = p?.assignment;
          if (!incidentId || !a?.id || !this.fresh(`a:${a.id}`, ev.seq)) break;
          this.touch(`i:${incidentId}`);
          const inc = this.incidents.get(incidentId);
          if (!inc) break;
          const idx = inc.assignments.findIndex((x) => x.id === a.id);
          if (idx >= 0) inc.assignments[idx] = { ...inc.assignments[idx], ...a };
          else inc.assignments.push(a);
          break;
        }
        case 'unit.status': {
          const p = ev.payload;
          const unitId = p?.unitId ?? ev.unitId;
          // The store holds live units: a drill's unit of the same id is simulated and never drawn.
          if (!unitId || !isLiveWorld(ev.world)) break;
          const u = this.units.get(unitId);
          if (!u) {
            notices.push({ kind: 'unknown-unit', unitId });
            break;
          }
          if (!this.fresh(`u:${unitId}`, ev.seq)) break;
          this.touch(`u:${unitId}`);
          if (p?.status) u.status = p.status;
          if (typeof p?.lat === 'number' && typeof p?.lon === 'number') {
            u.lat = p.lat;
            u.lon = p.lon;
          }
          break;
        }
        default: {
          // Newer event types (escalation, call linking, closure...): take an incident view from the
          // payload when it carries one, otherwise reload the incident; a unit status likewise.
          // An event type this console does not know may carry a view under `incident`, or be one.
          const p: unknown = ev.payload;
          const inner = p && typeof p === 'object' && 'incident' in p ? p.incident : undefined;
          const view = isIncidentView(inner) ? inner : isIncidentView(p) ? p : undefined;
          if (view && this.fresh(`i:${view.id}`, ev.seq)) {
            this.touch(`i:${view.id}`);
            if (isOpen(view)) this.incidents.set(view.id, normaliseIncident(view));
            else this.incidents.delete(view.id);
          } else if (ev.incidentId && this.incidents.has(ev.incidentId)) {
            notices.push({ kind: 'stale-incident', incidentId: ev.incidentId });
          }
          const status = p && typeof p === 'object' && 'status' in p ? p.status : undefined;
          if (ev.type.startsWith('unit.') && ev.unitId && isLiveWorld(ev.world) && isUnitStatus(status) && this.fresh(`u:${ev.unitId}`, ev.seq)) {
            const u = this.units.get(ev.unitId);
            if (u) u.status = status;
          }
          break;
        }
      }
    } catch (err) {
      console.warn('failed to apply event', ev, err);
    }
    this.emit(notices);
    return true;
  }

  /**
   * Replace one incident with a REST view (removed when it is no longer open). With the `mark` of
   * {@link markOf} taken when the read started, nothing is written when an event changed the incident
   * since (it may be newer than the view: a close, a task on scene): read it again then.
   * @returns false when the view was left out as possibly older than the store
   */
  putIncident(inc: Incident, mark?: number): boolean {
    if (mark !== undefined && this.markOf(`i:${inc.id}`) !== mark) return false;
    this.touch(`i:${inc.id}`);
    if (isOpen(inc)) this.incidents.set(inc.id, normaliseIncident(inc));
    else this.incidents.delete(inc.id);
    this.emit();
    return true;
  }

  /** Update a unit's position from AVL (no change notification: markers are moved directly). */
  moveUnit(unitId: string, lat: number, lon: number): Unit | undefined {
    const u = this.units.get(unitId);
    if (u) {
      u.lat = lat;
      u.lon = lon;
    }
    return u;
  }
}

function isUnitStatus(x: unknown): x is UnitStatus {
  return typeof x === 'string' && (UNIT_STATUSES as readonly string[]).includes(x);
}

function isIncidentView(x: unknown): x is Incident {
  const v = x as Partial<Incident> | undefined;
  return !!v && typeof v.id === 'string' && typeof v.status === 'string' && Array.isArray(v.assignments);
}

function normaliseIncident(inc: Incident): Incident {
  return { ...inc, assignments: Array.isArray(inc.assignments) ? [...inc.assignments] : [] };
}
