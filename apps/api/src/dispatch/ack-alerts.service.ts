import { AckOverduePayload, JurisdictionIndex } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Assignment, Incident } from '@cad/db';
import { StateConflict } from '../common/errors';
import { EventsService } from '../events/events.service';
import { ArmedDeadline, DeadlinesService } from '../command-chain/deadlines.service';
import { ResourceRequestsService } from './resource-requests.service';
import { releaseTask } from '../incidents/release-task';

/**
 * The dispatcher's side of the acknowledgement policy (`ACK_POLICY=alert-first`): the open alerts of
 * tasks not acknowledged at their first timeout, and the three answers to one: page the unit again,
 * replace it now (as the second timeout would: out of service, escalate, another unit), or take it
 * out of service (another unit from the same tier, no escalation).
 */
@Injectable()
export class AckAlertsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly deadlines: DeadlinesService,
    private readonly requests: ResourceRequestsService,
  ) {}

  /**
   * Open alerts: tasks still `dispatched` whose second acknowledgement deadline is pending, oldest
   * first, with the incident's street (for the caller's scope check).
   */
  async open(): Promise<(AckOverduePayload & { streetId: string | null; exercise: boolean })[]> {
    const rows: { incident_id: string; assignment_id: string; unit_id: string; replace_at: Date; street_id: string | null; exercise: boolean }[] = await this.ds.query(
      `SELECT d.incident_id, d.assignment_id, a.unit_id, d.due_at AS replace_at, i.street_id, i.exercise
         FROM deadline d JOIN assignment a ON a.id = d.assignment_id JOIN incident i ON i.id = d.incident_id
        WHERE d.kind = 'ack_final' AND d.state = 'pending' AND a.status = 'dispatched' ORDER BY d.due_at`,
    );
    const out = [];
    for (const r of rows) {
      const timeoutS = await this.deadlines.ackTimeoutOf(this.ds.manager, r.assignment_id);
      out.push({
        incidentId: r.incident_id,
        assignmentId: r.assignment_id,
        unitId: r.unit_id,
        timeoutS,
        alertedAt: new Date(r.replace_at.getTime() - 1000 * timeoutS).toISOString(),
        replaceAt: r.replace_at.toISOString(),
        streetId: r.street_id,
        exercise: r.exercise,
      });
    }
    return out;
  }

  /**
   * Pages a silent unit's task again: its pending acknowledgement deadlines are cancelled, a new
   * first-stage (`ack`) deadline of the unit's timeout is armed, and `assignment.repaged` goes to the
   * consoles and the unit's phone.
   * @returns the task and when the new deadline falls
   * @throws StateConflict (409) naming the task's status when it is no longer waiting for acknowledgement
   */
  async repage(assignmentId: string, actor: string): Promise<{ assignmentId: string; unitId: string; dueAt: string }> {
    let armed: ArmedDeadline | null = null;
    const out = await this.ds.transaction(async (m) => {
      const { a, incident } = await this.silentTask(m, assignmentId);
      await m.query(`UPDATE deadline SET state = 'cancelled' WHERE assignment_id = $1 AND state = 'pending'`, [a.id]);
      const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM deadline WHERE assignment_id = $1 AND kind = 'ack'`, [a.id]);
      armed = await this.deadlines.arm(m, { kind: 'ack', incidentId: incident.id, assignmentId: a.id, revision: incident.revision, keySuffix: `-p${n}` });
      if (!armed) throw new StateConflict(`task ${a.id} was paged again concurrently; retry`);
      const payload = { assignmentId: a.id, unitId: a.unitId, by: actor, dueAt: armed.dueAt.toISOString() };
      await this.events.append(m, { type: 'assignment.repaged', incidentId: incident.id, unitId: a.unitId, jurisdictionIds: this.index.chain(incident.streetId), at: new Date(), actor, payload });
      return payload;
    });
    await this.deadlines.scheduleDeadlines([armed]);
    return { assignmentId: out.assignmentId, unitId: out.unitId, dueAt: out.dueAt };
  }

  /**
   * Replaces a silent unit now, as the second timeout would: the task is taken back, the unit goes out
   * of service, the incident escalates one tier, and another unit is sent.
   * @returns the released unit and the replacement's dispatch result (null when none could be sent)
   * @throws StateConflict (409) when the task is no longer waiting for acknowledgement
   */
  async replace(assignmentId: string, actor: string) {
    const deadlineId = await this.ds.transaction(async (m) => {
      const { a, incident } = await this.silentTask(m, assignmentId);
      await m.query(`UPDATE deadline SET state = 'cancelled' WHERE assignment_id = $1 AND state = 'pending'`, [a.id]);
      const d = await this.deadlines.arm(m, { kind: 'ack_final', incidentId: incident.id, assignmentId: a.id, revision: incident.revision, keySuffix: '-byhand', dueAt: new Date() });
      if (!d) throw new StateConflict(`task ${a.id} is being replaced already`);
      return d.id;
    });
    const r = await this.deadlines.fire(deadlineId, 'dispatcher', undefined, actor);
    const replacement = r.replace ? await this.requests.replaceTask(r.replace.assignmentId, actor) : null;
    return { releasedUnitId: r.replace?.releasedUnitId ?? null, escalated: Boolean(r.escalatedRevision), replacement };
  }

  /**
   * Takes a silent unit out of service: its task is taken back (`not_acknowledged`), the unit goes
   * out of service (by `actor`), and another unit of the same capability is sent from the incident's
   * commanding tier; the incident keeps its tier.
   * @throws StateConflict (409) when the task is no longer waiting for acknowledgement
   */
  async takeOutOfService(assignmentId: string, actor: string) {
    const a = await this.ds.transaction(async (m) => {
      const { a, incident } = await this.silentTask(m, assignmentId);
      const detail = `${a.unitId} did not acknowledge: taken out of service by ${actor}`;
      await releaseTask(m, this.events, a, { reason: 'not_acknowledged', detail, unitStatus: 'out_of_service', at: new Date(), actor, jurisdictionIds: this.index.chain(incident.streetId) });
      return a;
    });
    const replacement = await this.requests.replaceTask(a.id, actor);
    return { releasedUnitId: a.unitId, replacement };
  }

  /** The task under a row lock with its incident, still waiting for acknowledgement. */
  private async silentTask(m: EntityManager, assignmentId: string): Promise<{ a: Assignment; incident: Incident }> {
    const a = await m.findOne(Assignment, { where: { id: assignmentId }, lock: { mode: 'pessimistic_write' } });
    if (!a || a.status !== 'dispatched') throw new StateConflict(`task ${assignmentId} is ${a?.status ?? 'unknown'}: only a task not yet acknowledged can be paged again, replaced or taken out of service`, a?.status);
    const incident = await m.findOneByOrFail(Incident, { id: a.incidentId });
    return { a, incident };
  }
}
