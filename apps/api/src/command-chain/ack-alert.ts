import type { AckOverduePayload } from '@cad/domain';
import type { EntityManager } from 'typeorm';
import type { Assignment, Deadline } from '@cad/db';
import type { EventsService } from '../events/events.service';
import type { ArmedDeadline, DeadlineKind } from './deadlines.service';

/** True for the two acknowledgement deadline kinds (`ack`: the first timeout, `ack_final`: the second). */
export function isAckKind(kind: string): kind is 'ack' | 'ack_final' {
  return kind === 'ack' || kind === 'ack_final';
}

/** What the first acknowledgement timeout of one task needs to alert its dispatcher. */
export interface AckAlertInput {
  /** The `ack` deadline that fired. */
  deadline: Pick<Deadline, 'incidentId' | 'revision'>;
  assignment: Pick<Assignment, 'id' | 'unitId' | 'incidentId'>;
  /** The incident's jurisdiction chain (the rooms the alert goes to). */
  chain: string[];
  now: Date;
  actor: string;
  /** The unit's acknowledgement timeout, seconds: the second deadline falls this long after `now`. */
  timeoutS: number;
}

/**
 * The first acknowledgement timeout under the `alert-first` policy, inside the caller's transaction:
 * arms the task's `ack_final` deadline one further timeout away (through `arm`, unique by key so a
 * retry arms one) and appends `assignment.ack_overdue` for the incident's consoles. The task stays
 * with its unit: a late acknowledgement still counts.
 * @returns the armed deadline (add its job after commit), or null when it was armed already
 */
export async function raiseAckAlert(
  m: EntityManager,
  events: EventsService,
  x: AckAlertInput,
  arm: (d: { kind: DeadlineKind; incidentId: string; assignmentId: string; revision: number; dueAt: Date; keySuffix?: string }) => Promise<ArmedDeadline | null>,
): Promise<ArmedDeadline | null> {
  const replaceAt = new Date(x.now.getTime() + 1000 * x.timeoutS);
  // One `ack_final` per page of the task: a re-page arms a new `ack` whose key carries its page count.
  const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM deadline WHERE assignment_id = $1 AND kind = 'ack_final'`, [x.assignment.id]);
  const armed = await arm({ kind: 'ack_final', incidentId: x.deadline.incidentId, assignmentId: x.assignment.id, revision: x.deadline.revision, dueAt: replaceAt, keySuffix: n ? `-p${n}` : '' });
  const payload: AckOverduePayload = {
    incidentId: x.assignment.incidentId,
    assignmentId: x.assignment.id,
    unitId: x.assignment.unitId,
    timeoutS: x.timeoutS,
    alertedAt: x.now.toISOString(),
    replaceAt: replaceAt.toISOString(),
  };
  await events.append(m, { type: 'assignment.ack_overdue', incidentId: x.assignment.incidentId, unitId: x.assignment.unitId, jurisdictionIds: x.chain, at: x.now, actor: x.actor, payload });
  return armed;
}
