import type { EntityManager } from 'typeorm';
import { AssignmentStatus, unitStatusFor } from '@cad/domain';
import { Assignment, Unit } from '@cad/db';
import type { EventsService } from '../events/events.service';
import { assignmentView } from './incident.view';
import { releaseTask } from './release-task';
import { cancelDeadlines } from './deadline.store';
import { STATUS_STAMP } from './status-stamps';

/** What giving a task back did to the units sent to replace it. */
export interface GivenBack {
  /** The task, acknowledged again by its first crew. */
  assignment: Assignment;
  /** Replacements not yet acknowledged: taken back (their units free again, their phones told). */
  recalled: string[];
  /** Replacements already acknowledged: they stay on the incident too. */
  kept: string[];
}

/**
 * Gives a task back to its first crew inside the caller's transaction, when the acknowledgement
 * deadline that took it away fired only because an outage kept the crew's report from arriving:
 * the task was released `not_acknowledged`, its fired deadline was due no earlier than the crew's
 * stamped acknowledgement `at` and fell in an outage (`inOutage`), and its unit is still out of
 * service by the timer (not put back or sent elsewhere meanwhile). The task becomes acknowledged at
 * `at` and its unit dispatched; each replacement not yet acknowledged is recalled (released
 * `recalled`, unit available, `assignment.updated` tells its phone); an acknowledged one stays.
 * `assignment.given_back` tells the dispatcher both.
 * @param at the crew's acknowledgement time (device stamp corrected by its clock offset)
 * @returns what was done, or null when the task cannot be given back (the caller reports as usual)
 */
export async function giveBack(
  m: EntityManager,
  events: EventsService,
  a: Assignment,
  at: Date,
  ctx: { actor: string; jurisdictionIds: string[]; inOutage: (t: Date) => Promise<boolean> },
): Promise<GivenBack | null> {
  if (a.status !== 'cleared' || a.releasedReason !== 'not_acknowledged') return null;
  const [deadline]: { due_at: Date }[] = await m.query(
    `SELECT due_at FROM deadline WHERE assignment_id = $1 AND kind IN ('ack', 'ack_final') AND state = 'fired' ORDER BY due_at DESC LIMIT 1`,
    [a.id],
  );
  if (!deadline || at > deadline.due_at || !(await ctx.inOutage(deadline.due_at))) return null;
  const unit = await m.findOne(Unit, { where: { world: a.world, id: a.unitId }, lock: { mode: 'pessimistic_write' } });
  if (!unit || unit.status !== 'out_of_service' || !(unit.outOfServiceBy ?? '').startsWith('timer:')) return null;
  return restoreTask(m, events, a, unit, [{ status: 'acknowledged', at }], {
    ...ctx,
    recalls: (r) => r.status === 'dispatched',
    detail: (r) => `${a.unitId} acknowledged in time (its report was held up by an outage): ${r.unitId} is recalled`,
  });
}

/**
 * Gives a task taken back (`cleared` with a `releasedReason`) back to its crew inside the caller's
 * transaction, at the steps the crew reported (in order: the last is the status in force, each stamps its
 * column; the first stamps `acknowledgedAt` too when none is `acknowledged`): the task is no longer
 * released, its unit (`unit`, locked by the caller) takes the status its task gives (`dispatched`,
 * `en_route`...) and is no longer out of service; each replacement still active that `recalls` picks is
 * recalled (released `recalled`, unit available, `assignment.updated` tells its phone), the others stay.
 * Appends `assignment.updated` (with the last step's `reportedAt`), `unit.status` and `assignment.given_back`.
 * The caller writes the incident's status (its tasks changed) and appends `incident.updated`.
 * @param steps the crew's steps, at least one, in the task's order
 */
export async function restoreTask(
  m: EntityManager,
  events: EventsService,
  a: Assignment,
  unit: Unit,
  steps: readonly { status: AssignmentStatus; at: Date }[],
  ctx: { actor: string; jurisdictionIds: string[]; recalls: (r: Assignment) => boolean; detail: (r: Assignment) => string },
): Promise<GivenBack> {
  const now = new Date();
  const last = steps[steps.length - 1]!;
  const stamps: Partial<Assignment> = { acknowledgedAt: steps.find((x) => x.status === 'acknowledged')?.at ?? steps[0]!.at };
  for (const x of steps) {
    const col = STATUS_STAMP[x.status];
    if (col) (stamps as Record<string, Date>)[col] = x.at;
  }
  await m.update(Assignment, { id: a.id }, { ...stamps, status: last.status, statusAt: last.at, clearedAt: null, releasedReason: null });
  const unitStatus = unitStatusFor(last.status);
  await m.update(Unit, { world: a.world, id: a.unitId }, { status: unitStatus, outOfServiceBy: null });
  const replacements = await m.find(Assignment, { where: { replacesId: a.id } });
  const recalled: string[] = [];
  const kept: string[] = [];
  for (const r of replacements) {
    if (r.releasedReason || r.status === 'cleared') continue;
    if (ctx.recalls(r)) {
      if (await releaseTask(m, events, r, { reason: 'recalled', detail: ctx.detail(r), unitStatus: 'available', at: now, actor: ctx.actor, jurisdictionIds: ctx.jurisdictionIds })) recalled.push(r.unitId);
    } else {
      kept.push(r.unitId);
    }
  }
  await cancelDeadlines(m, { assignmentId: a.id });
  const back = await m.findOneByOrFail(Assignment, { id: a.id });
  const base = { incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: ctx.jurisdictionIds, at: now, actor: ctx.actor };
  await events.append(m, { ...base, type: 'assignment.updated', payload: { incidentId: a.incidentId, assignment: assignmentView(back), reportedAt: last.at.toISOString() } });
  await events.append(m, { ...base, type: 'unit.status', payload: { unitId: a.unitId, status: unitStatus, lat: unit.lat, lon: unit.lon } });
  await events.append(m, {
    ...base,
    type: 'assignment.given_back',
    payload: { incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, acknowledgedAt: (back.acknowledgedAt ?? last.at).toISOString(), recalled, kept },
  });
  return { assignment: back, recalled, kept };
}

