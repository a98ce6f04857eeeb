/** Client-side state: open incidents, units and the last applied event sequence. */
import type { Snapshot } from './api';
import type { Assignment, CadEvent, Incident, Unit, UnitStatus } from './types';
import { isOpen } from './types';

/** Something the UI may want to react to beyond a plain re-render. */
export type StoreNotice =
  | { kind: 'new-incident'; incident: Incident }
  | { kind: 'unknown-unit'; unitId: string };

type Listener = (notices: StoreNotice[]) => void;

/** Mutable application state with change notification (coalesced by the caller). */
export class Store {
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  lastSeq: number | null = null;
  private listeners: Listener[] = [];

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
    this.emit();
  }

  /** Replace only the unit list (e.g. after an unknown unit showed up). */
  loadUnits(units: Unit[]): void {
    this.units.clear();
    for (const u of units) this.units.set(u.id, u);
    this.emit();
  }

  /**
   * Apply one sequenced event idempotently. Events with seq <= lastSeq are ignored.
   * Returns true if the event was applied.
   */
  applyEvent(ev: CadEvent): boolean {
    if (typeof ev?.seq !== 'number') return false;
    if (this.lastSeq !== null && ev.seq <= this.lastSeq) return false;
    this.lastSeq = ev.seq;
    const notices: StoreNotice[] = [];
    try {
      switch (ev.type) {
        case 'incident.created':
        case 'incident.updated': {
          const inc = ev.payload as Incident | undefined;
          if (!inc?.id) break;
          const known = this.incidents.has(inc.id);
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
          const p = ev.payload as { incidentId?: string; assignment?: Assignment } | undefined;
          const incidentId = p?.incidentId ?? ev.incidentId;
          const a = p?.assignment;
          if (!incidentId || !a?.id) break;
          const inc = this.incidents.get(incidentId);
          if (!inc) break;
          const idx = inc.assignments.findIndex((x) => x.id === a.id);
          if (idx >= 0) inc.assignments[idx] = { ...inc.assignments[idx], ...a };
          else inc.assignments.push(a);
          break;
        }
        case 'unit.status': {
          const p = ev.payload as { unitId?: string; status?: UnitStatus; lat?: number; lon?: number } | undefined;
          const unitId = p?.unitId ?? ev.unitId;
          if (!unitId) break;
          const u = this.units.get(unitId);
          if (!u) {
            notices.push({ kind: 'unknown-unit', unitId });
            break;
          }
          if (p?.status) u.status = p.status;
          if (typeof p?.lat === 'number' && typeof p?.lon === 'number') {
            u.lat = p.lat;
            u.lon = p.lon;
          }
          break;
        }
        default:
          break; // unknown event types are skipped but still advance lastSeq
      }
    } catch (err) {
      console.warn('failed to apply event', ev, err);
    }
    this.emit(notices);
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

function normaliseIncident(inc: Incident): Incident {
  return { ...inc, assignments: Array.isArray(inc.assignments) ? [...inc.assignments] : [] };
}
