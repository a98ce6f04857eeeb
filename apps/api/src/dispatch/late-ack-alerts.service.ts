import { AssignmentStatus, incidentStatusFromTasks, JurisdictionIndex } from '@cad/domain';
import type { LateAckDecidedPayload, LateAckPayload } from '@cad/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Assignment, Incident, Unit } from '@cad/db';
import { StateConflict } from '../common/errors';
import { EventsService } from '../events/events.service';
import { IncidentsService } from '../incidents/incidents.service';
import { AssignmentsService } from '../incidents/assignments.service';
import { restoreTask } from '../incidents/give-back';
import { lateAckHold, latestLateAck, openLateAcks } from '../incidents/late-ack.store';
import { UnitMessagesService } from '../unit-messages/unit-messages.service';

/** A replacement that has not left yet (its crew has not set off): recalled when the task is given back. */
const NOT_LEFT: readonly string[] = ['dispatched', 'acknowledged'];

/**
 * The dispatcher's answers to a late acknowledgement (`assignment.late_ack`): a crew whose phone was
 * offline acknowledged (and maybe set off) before the acknowledgement timer took its task back, and its
 * reports arrived after. Its unit is held out of service for the answer (`out_of_service_by`
 * `late_report:<task>`): either give the task back to the crew (replacements that have not left are
 * recalled), or keep the replacement and stand the crew down (the unit is available again). Either way
 * the crew's phone is told by a unit message.
 */
@Injectable()
export class LateAckAlertsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly assignments: AssignmentsService,
    private readonly messages: UnitMessagesService,
  ) {}

  /** Open alerts, oldest report first, with the incident's street (for the caller's scope check). */
  open(): Promise<(LateAckPayload & { streetId: string | null })[]> {
    return openLateAcks(this.ds.manager);
  }

  /**
   * Gives the task back to the crew that acknowledged late, at the steps it reported (their own times):
   * the task is its again (e.g. en route since the tap), its unit takes the matching status, each
   * replacement that has not left yet (dispatched or acknowledged) is recalled and its unit freed, one
   * already on its way stays. The incident's status follows its tasks; the crew's phone gets the task
   * and a message. Freed units are offered to incidents waiting for units.
   * @throws StateConflict (409) when no late acknowledgement of this task awaits an answer
   */
  async giveBack(assignmentId: string, actor: string): Promise<LateAckDecidedPayload> {
    const out = await this.ds.transaction(async (m) => {
      const { a, unit, alert, incident } = await this.awaiting(m, assignmentId);
      const chain = this.index.chain(incident.streetId);
      const steps = alert.steps.map((x) => ({ status: x.status as AssignmentStatus, at: new Date(x.at) }));
      const back = await restoreTask(m, this.events, a, unit, steps, {
        actor,
        jurisdictionIds: chain,
        recalls: (r) => NOT_LEFT.includes(r.status),
        detail: (r) => `${a.unitId} acknowledged in time (its reports arrived late) and the dispatcher gave its task back: ${r.unitId} is recalled`,
      });
      const all = await m.find(Assignment, { where: { incidentId: incident.id } });
      const status = incidentStatusFromTasks(incident.status, all);
      if (status !== incident.status) await m.update(Incident, { id: incident.id }, { status });
      await this.events.append(m, { type: 'incident.updated', incidentId: incident.id, jurisdictionIds: chain, at: new Date(), actor, payload: await this.incidents.view(incident.id, m) });
      await this.messages.sendIn(m, a.unitId, `Dispatch gave your task back: carry on (${back.assignment.status.replace('_', ' ')}).`, actor, incident.id);
      return this.decided(m, a, 'given_back', actor, back.recalled, back.kept, chain);
    });
    if (out.recalled.length) await this.assignments.redispatchWaiting('live');
    return out;
  }

  /**
   * Keeps the replacement and stands the crew down: the task stays taken back, the unit is available
   * again (its crew answers: the silence that put it out of service is over) and the crew is told by a
   * unit message; the freed unit is offered to incidents waiting for units.
   * @throws StateConflict (409) when no late acknowledgement of this task awaits an answer
   */
  async standDown(assignmentId: string, actor: string): Promise<LateAckDecidedPayload> {
    const out = await this.ds.transaction(async (m) => {
      const { a, unit, alert, incident } = await this.awaiting(m, assignmentId);
      const chain = this.index.chain(incident.streetId);
      await m.update(Unit, { world: a.world, id: a.unitId }, { status: 'available', outOfServiceBy: null });
      const kept = alert.replacements.filter((r) => r.status !== 'cleared').map((r) => r.unitId);
      const detail = `${a.unitId} stood down by ${actor}: its reports arrived after the task was taken back`;
      await this.events.append(m, { type: 'unit.status', incidentId: incident.id, unitId: a.unitId, jurisdictionIds: chain, at: new Date(), actor, payload: { unitId: a.unitId, status: 'available', lat: unit.lat, lon: unit.lon, reason: 'stood_down', detail } });
      const by = kept.length ? `${kept.join(', ')} has the call` : 'another unit will be sent';
      await this.messages.sendIn(m, a.unitId, `Stand down: your reports reached dispatch after the task was taken back; ${by}. You are available.`, actor, incident.id);
      return this.decided(m, a, 'stood_down', actor, [], kept, chain);
    });
    await this.assignments.redispatchWaiting('live');
    return out;
  }

  /** Appends `assignment.late_ack_decided` and answers its payload. */
  private async decided(m: EntityManager, a: Assignment, decision: LateAckDecidedPayload['decision'], by: string, recalled: string[], kept: string[], chain: string[]): Promise<LateAckDecidedPayload> {
    const payload: LateAckDecidedPayload = { incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, decision, by, recalled, kept };
    await this.events.append(m, { type: 'assignment.late_ack_decided', incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: chain, at: new Date(), actor: by, payload });
    return payload;
  }

  /** The task, its unit (both locked) and incident, and the open alert, when its unit still awaits the answer. */
  private async awaiting(m: EntityManager, assignmentId: string): Promise<{ a: Assignment; unit: Unit; alert: LateAckPayload; incident: Incident }> {
    const a = await m.findOne(Assignment, { where: { id: assignmentId }, lock: { mode: 'pessimistic_write' } });
    const unit = a ? await m.findOne(Unit, { where: { world: a.world, id: a.unitId }, lock: { mode: 'pessimistic_write' } }) : null;
    const alert = a && unit?.status === 'out_of_service' && unit.outOfServiceBy === lateAckHold(a.id) ? await latestLateAck(m, a.incidentId, a.id) : null;
    if (!a || !unit || !alert) {
      throw new StateConflict(`task ${assignmentId}: no late acknowledgement awaits an answer (already answered, or the unit was put back or sent elsewhere)`, a?.status);
    }
    const incident = await m.findOneByOrFail(Incident, { id: a.incidentId });
    return { a, unit, alert, incident };
  }
}
