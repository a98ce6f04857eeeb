/**
 * The responder phone's task and unit, kept current from the events the server pushes to the unit's
 * room: a task created, changed or re-routed (`assignment.*`, the whole task view in its payload; a task
 * a merge moved to the surviving incident carries that incident's view, which replaces the one shown), the
 * unit's status and position (`unit.status`), a moved incident (`assignment.location_alert`), the task's
 * incident changed (`incident.updated`, its whole view: address, priority, notes, the other tasks). Each
 * payload is applied as it comes; the task is read over REST only when the phone may have missed
 * something (connect, reconnect, resync) or when a payload cannot say what changed (a task on an
 * incident the phone has never seen, a unit it does not know).
 *
 * Events may arrive out of order (a reconnect in the middle, two sockets): an event older (lower `seq`)
 * than the last one applied to the same task, unit or incident never overwrites it.
 */
import type { Assignment, CadEvent, Incident, Unit, UnitTask } from '../types';

/** What applying one event did: changed the page, changed nothing, or needs the task read over REST. */
export type FeedOutcome = 'applied' | 'ignored' | 'reload';

/** The task and the unit list, as loaded over REST. */
export interface TaskAndUnits {
  task: UnitTask | null;
  units: Unit[];
}

/** Inserts or replaces `a` in the incident's task list (a new incident object; the old one is not changed). */
function withAssignment(inc: Incident, a: Assignment): Incident {
  const others = inc.assignments.filter((x) => x.id !== a.id);
  return { ...inc, assignments: [...others, a] };
}

/** The unit's current task and the units, fed by pushed events and REST reads. */
export class TaskFeed {
  task: UnitTask | null = null;
  units: Unit[] = [];
  /** Seq of the last event applied per entity (`a:<id>`, `u:<id>`, `i:<id>`). */
  private readonly entitySeq = new Map<string, number>();
  /** Per REST read in flight, the events pushed meanwhile: applied again on top of what it reads. */
  private readonly duringLoads = new Set<CadEvent[]>();

  /**
   * @param unitId the unit this phone crews (null before sign-in: every event is ignored)
   * @param load reads the task and the units over REST (throws when offline or refused)
   */
  constructor(
    public unitId: string | null,
    private readonly load: (unitId: string) => Promise<TaskAndUnits>,
  ) {}

  /**
   * Reads the task and the units over REST and holds them; false when there is no unit yet. The read may
   * have been answered before an event pushed meanwhile: those events are applied again on top of it,
   * so a slow read never undoes them. Throws what `load` throws.
   */
  async reload(): Promise<boolean> {
    if (!this.unitId) return false;
    const meanwhile: CadEvent[] = [];
    this.duringLoads.add(meanwhile);
    try {
      const { task, units } = await this.load(this.unitId);
      this.task = task;
      this.units = units;
    } finally {
      this.duringLoads.delete(meanwhile);
    }
    for (const ev of meanwhile) this.apply(ev);
    return true;
  }

  /** The unit this phone crews, when the unit list has it. */
  unit(): Unit | undefined {
    return this.units.find((u) => u.id === this.unitId);
  }

  /** Applies one pushed event to the task or unit; says whether the page changed or a REST read is needed. */
  apply(ev: CadEvent): FeedOutcome {
    const { unitId, task } = this;
    if (!unitId || typeof ev?.seq !== 'number') return 'ignored';
    for (const meanwhile of this.duringLoads) meanwhile.push(ev);
    switch (ev.type) {
      case 'assignment.created':
      case 'assignment.updated':
      case 'assignment.rerouted': {
        const { assignment: a, incidentId } = ev.payload;
        if (!a?.id || !this.fresh(`a:${a.id}`, ev.seq)) return 'ignored';
        // The task's incident when the payload carries it (a merge moved the task to the survivor).
        const carried = ev.payload.incident?.id === incidentId ? ev.payload.incident : undefined;
        if (carried && a.unitId === unitId && a.status !== 'cleared' && this.fresh(`i:${incidentId}`, ev.seq)) {
          this.task = { assignment: task?.assignment.id === a.id ? { ...task.assignment, ...a } : a, incident: withAssignment(carried, a) };
          return 'applied';
        }
        if (a.unitId !== unitId) {
          // Another unit's task on the same incident: the incident's task list follows.
          if (!task || task.incident.id !== incidentId) return 'ignored';
          this.task = { ...task, incident: withAssignment(task.incident, a) };
          return 'applied';
        }
        if (task && task.assignment.id === a.id) {
          const merged = { ...task.assignment, ...a };
          // Its task moved to an incident this phone does not hold (and the payload has no view of it).
          if (merged.status !== 'cleared' && incidentId && incidentId !== task.incident.id) return 'reload';
          // A cleared task is over: the phone waits for the next one.
          this.task = merged.status === 'cleared' ? null : { assignment: merged, incident: withAssignment(task.incident, merged) };
          return 'applied';
        }
        if (a.status === 'cleared') return 'ignored'; // an earlier task of this unit ending: not the one shown
        if (task && task.incident.id === incidentId) {
          this.task = { assignment: a, incident: withAssignment(task.incident, a) };
          return 'applied';
        }
        // A task on an incident this phone has not seen: the payload has the task but not the incident.
        return 'reload';
      }
      case 'unit.status': {
        const p = ev.payload;
        if (p.unitId !== unitId) return 'ignored';
        const i = this.units.findIndex((u) => u.id === p.unitId);
        if (i < 0) return 'reload'; // a unit the list does not have yet
        if (!this.fresh(`u:${p.unitId}`, ev.seq)) return 'ignored';
        const moved = typeof p.lat === 'number' && typeof p.lon === 'number' ? { lat: p.lat, lon: p.lon } : {};
        this.units = this.units.map((u, k) => (k === i ? { ...u, status: p.status, ...moved } : u));
        return 'applied';
      }
      case 'incident.updated': {
        const view = ev.payload;
        if (!task || !view || view.id !== task.incident.id || !Array.isArray(view.assignments) || !this.fresh(`i:${view.id}`, ev.seq)) return 'ignored';
        // A task whose own event is newer than this view keeps what that event said.
        const assignments = view.assignments.map((a) => ((this.entitySeq.get(`a:${a.id}`) ?? -1) > ev.seq ? (task.incident.assignments.find((x) => x.id === a.id) ?? a) : a));
        this.task = { ...task, incident: { ...view, assignments } };
        return 'applied';
      }
      case 'assignment.location_alert': {
        const p = ev.payload;
        if (!task || task.incident.id !== p.incidentId || !this.fresh(`i:${p.incidentId}`, ev.seq)) return 'ignored';
        this.task = { ...task, incident: { ...task.incident, lat: p.new.lat, lon: p.new.lon, address: p.new.address } };
        return 'applied';
      }
      default:
        // Messages, move-ups, hospital choices, late reports, re-pages…: shown by their own parts of the
        // page (or not at all); the task and the unit are unchanged.
        return 'ignored';
    }
  }

  /** True (and remembered) when `key` has seen no event newer than `seq`. */
  private fresh(key: string, seq: number): boolean {
    const last = this.entitySeq.get(key);
    if (last !== undefined && last > seq) return false;
    this.entitySeq.set(key, seq);
    return true;
  }
}
