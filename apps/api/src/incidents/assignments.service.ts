import { AssignmentStatus, incidentStatusFromAssignments, JurisdictionIndex, nextAssignmentStatus, unitStatusFor } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFound, StateConflict } from '../common/errors';
import { EventsService } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { Assignment, Incident, Unit } from '@cad/db';
import { assignmentView } from './incident.view';
import { IncidentsService } from './incidents.service';

const STAMP: Partial<Record<AssignmentStatus, keyof Assignment>> = {
  en_route: 'enRouteAt',
  on_scene: 'onSceneAt',
  cleared: 'clearedAt',
};

/** Status changes reported for an assignment (by a responder, or the drill's simulated crews). */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly queues: QueuesService,
  ) {}

  /**
   * Moves an assignment to a new status, with the unit's status and the incident's derived status,
   * in one transaction with their events. Clearing frees the unit (available where it is) and, when
   * an incident becomes resolved, sets its resolution time. After a unit is freed, incidents still
   * waiting for units are queued for dispatch again.
   * @param at when it happened (simulated time in a drill)
   * @param position where the unit is, WGS84 degrees (optional)
   * @throws NotFound for an unknown assignment
   * @throws InvalidTransition (409) when the change is not allowed from the current status
   * @throws StateConflict (409) when the unit changed under us
   */
  async changeStatus(
    assignmentId: string,
    to: AssignmentStatus,
    at: Date,
    actor: string,
    position?: { lat: number; lon: number },
  ): Promise<void> {
    const freed = await this.ds.transaction(async (m) => {
      const a = await m.findOne(Assignment, { where: { id: assignmentId }, lock: { mode: 'pessimistic_write' } });
      if (!a) throw new NotFound('assignment', assignmentId);
      nextAssignmentStatus(a.status, to);
      const incident = await m.findOne(Incident, { where: { id: a.incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', a.incidentId);
      const unit = await m.findOneByOrFail(Unit, { id: a.unitId });
      a.status = to;
      const stamp = STAMP[to];
      if (stamp) (a as unknown as Record<string, unknown>)[stamp] = at;
      await m.save(a);
      const lat = position?.lat ?? unit.lat;
      const lon = position?.lon ?? unit.lon;
      const moved = await m
        .createQueryBuilder()
        .update(Unit)
        .set({ status: unitStatusFor(to), lat, lon })
        .where('id = :id AND version = :version', { id: unit.id, version: unit.version })
        .execute();
      if (!moved.affected) throw new StateConflict(`unit ${unit.id} changed concurrently; retry`, unit.status);
      const all = await m.find(Assignment, { where: { incidentId: incident.id } });
      const status = incidentStatusFromAssignments(incident.status, all.map((x) => x.status));
      const chain = this.index.chain(incident.streetId);
      await this.events.append(m, {
        type: 'assignment.updated',
        incidentId: incident.id,
        unitId: unit.id,
        jurisdictionIds: chain,
        at,
        actor,
        payload: { incidentId: incident.id, assignment: assignmentView(a) },
      });
      await this.events.append(m, {
        type: 'unit.status',
        incidentId: incident.id,
        unitId: unit.id,
        jurisdictionIds: chain,
        at,
        actor,
        payload: { unitId: unit.id, status: unitStatusFor(to), lat, lon },
      });
      if (status !== incident.status) {
        await m.update(Incident, { id: incident.id }, { status, resolvedAt: status === 'resolved' ? at : incident.resolvedAt });
        await this.events.append(m, {
          type: 'incident.updated',
          incidentId: incident.id,
          jurisdictionIds: chain,
          at,
          actor,
          payload: await this.incidents.view(incident.id, m),
        });
      }
      return to === 'cleared';
    });
    if (freed) await this.redispatchWaiting();
  }

  /** Queues a fresh dispatch (next revision) for every incident still waiting for units. */
  async redispatchWaiting(): Promise<number> {
    // TypeORM answers a raw UPDATE ... RETURNING with [rows, affectedCount].
    const [rows]: [{ id: string; revision: number }[], number] = await this.ds.query(
      `UPDATE incident SET revision = revision + 1
        WHERE status = 'received' AND last_error IS NOT NULL
        RETURNING id, revision`,
    );
    for (const r of rows) await this.queues.addDispatch({ incidentId: r.id, revision: r.revision });
    return rows.length;
  }
}
