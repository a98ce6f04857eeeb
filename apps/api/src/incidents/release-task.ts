import type { UnitStatus } from '@cad/domain';
import type { EntityManager } from 'typeorm';
import { Assignment, Unit } from '@cad/db';
import type { EventsService } from '../events/events.service';
import { cancelDeadlines } from './deadline.store';
import { assignmentView } from './incident.view';

/** How and why a task is taken back from its unit before it ran its course. */
export interface TaskRelease {
  /** `not_acknowledged` (the crew did not confirm in time) or `incident_cancelled`. */
  reason: string;
  /** Human-readable detail for the timeline, e.g. `unit E01 did not acknowledge within 60 s`. */
  detail: string;
  /** Status the unit goes to: `available` (free again) or `out_of_service` (not answering: a dispatcher must reach it). */
  unitStatus: Extract<UnitStatus, 'available' | 'out_of_service'>;
  at: Date;
  actor: string;
  /** Jurisdiction chain of the incident (the rooms its events go to). */
  jurisdictionIds: string[];
}

/**
 * Takes an active task back inside the caller's transaction: the assignment is cleared with
 * `released_reason` (so the incident's derived status ignores it), the unit moves to
 * `r.unitStatus`, its pending acknowledgement deadline is cancelled, and `assignment.updated` and
 * `unit.status` events carrying the reason are appended. A task already cleared is left alone.
 * @returns true when the task was released, false when it had already cleared
 */
export async function releaseTask(m: EntityManager, events: EventsService, a: Assignment, r: TaskRelease): Promise<boolean> {
  const changed = await m
    .createQueryBuilder()
    .update(Assignment)
    .set({ status: 'cleared', clearedAt: r.at, statusAt: r.at, releasedReason: r.reason })
    .where(`id = :id AND status <> 'cleared'`, { id: a.id })
    .execute();
  if (!changed.affected) return false;
  const unit = await m.findOneByOrFail(Unit, { world: a.world, id: a.unitId });
  await m.update(Unit, { world: a.world, id: a.unitId }, { status: r.unitStatus, outOfServiceBy: r.unitStatus === 'out_of_service' ? r.actor : null });
  await cancelDeadlines(m, { assignmentId: a.id });
  const base = { incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: r.jurisdictionIds, at: r.at, actor: r.actor };
  await events.append(m, {
    ...base,
    type: 'assignment.updated',
    payload: { incidentId: a.incidentId, assignment: assignmentView(await m.findOneByOrFail(Assignment, { id: a.id })), reason: r.reason, detail: r.detail },
  });
  await events.append(m, {
    ...base,
    type: 'unit.status',
    payload: { unitId: a.unitId, status: r.unitStatus, lat: unit.lat, lon: unit.lon, reason: r.reason, detail: r.detail },
  });
  return true;
}
