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
    this.emit();
  }

  /** Replace only the unit list (e.g. after an unknown unit showed up). */
  loadUnits(units: Unit[]): void {
    this.units.clear();
    for (const u of units) this.units.set(u.id, u);
    this.emit();
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
    if ((this.floor !== null && ev.seq <= this.floor) || this.seen.has(ev.seq)) return false;
    this.seen.add(ev.seq);
    if (this.seen.size > 20000) {
      // Keep memory bounded: forget the oldest half and raise the floor past them.
      const sorted = [...this.seen].sort((a, b) => a - b);
      for (const q of sorted.slice(0, 10000)) this.seen.delete(q);
      this.floor = sorted[9999];
    }
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

  /** Replace one incident with a fresh REST view (removed when it is no longer open). */
  putIncident(inc: Incident): void {
    if (isOpen(inc)) this.incidents.set(inc.id, normaliseIncident(inc));
    else this.incidents.delete(inc.id);
    this.emit();
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
