import type { EntityManager } from 'typeorm';
import { Deadline } from '@cad/db';

/**
 * Cancels pending deadlines inside the caller's transaction: every `pending` acknowledgement and
 * pending-incident deadline of an incident, or the one of a task. The only code that cancels a
 * deadline (closing, cancelling or merging an incident, a crew's status report past `dispatched`,
 * a task taken back). A deadline already `fired`, `void` or `cancelled` is left as it is, so its
 * record of what happened stays; its delayed job, if still queued, finds it not pending and skips.
 * @param where `{ incidentId }` (all of the incident's) or `{ assignmentId }` (that task's)
 * @returns how many deadlines were cancelled
 */
export async function cancelDeadlines(m: EntityManager, where: { incidentId: string } | { assignmentId: string }): Promise<number> {
  const r = await m.update(Deadline, { ...where, state: 'pending' }, { state: 'cancelled' });
  return r.affected ?? 0;
}

/**
 * {@link cancelDeadlines} for several tasks at once, in one UPDATE (a drill's batch of crew steps). Plain
 * SQL with one array parameter (issue 19's profile of the drill: the update builder's CPU after every batch,
 * and an `IN` list whose every length was another statement to prepare); the rows changed are the same.
 * @param assignmentIds the tasks (none: nothing is done)
 * @returns how many deadlines were cancelled
 */
export async function cancelDeadlinesOf(m: EntityManager, assignmentIds: readonly string[]): Promise<number> {
  if (!assignmentIds.length) return 0;
  const [, affected]: [unknown, number] = await m.query(`UPDATE deadline SET state = 'cancelled' WHERE assignment_id = ANY($1::uuid[]) AND state = 'pending'`, [[...new Set(assignmentIds)]]);
  return affected ?? 0;
}
