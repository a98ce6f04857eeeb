import type { EntityManager } from 'typeorm';
import { Assignment, Unit } from '@cad/db';
import type { EventsService } from '../events/events.service';
import { assignmentView } from './incident.view';
import { releaseTask } from './release-task';

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
  const now = new Date();
  await m.update(Assignment, { id: a.id }, { status: 'acknowledged', acknowledgedAt: at, statusAt: at, clearedAt: null, releasedReason: null });
  await m.update(Unit, { world: a.world, id: a.unitId }, { status: 'dispatched', outOfServiceBy: null });
  const replacements = await m.find(Assignment, { where: { replacesId: a.id } });
  const recalled: string[] = [];
  const kept: string[] = [];
  for (const r of replacements) {
    if (r.releasedReason || r.status === 'cleared') continue;
    if (r.status === 'dispatched') {
      const detail = `${a.unitId} acknowledged in time (its report was held up by an outage): ${r.unitId} is recalled`;
      if (await releaseTask(m, events, r, { reason: 'recalled', detail, unitStatus: 'available', at: now, actor: ctx.actor, jurisdictionIds: ctx.jurisdictionIds })) recalled.push(r.unitId);
    } else {
      kept.push(r.unitId);
    }
  }
  const back = await m.findOneByOrFail(Assignment, { id: a.id });
  const base = { incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: ctx.jurisdictionIds, at: now, actor: ctx.actor };
  await events.append(m, { ...base, type: 'assignment.updated', payload: { incidentId: a.incidentId, assignment: assignmentView(back), reportedAt: at.toISOString() } });
  await events.append(m, { ...base, type: 'unit.status', payload: { unitId: a.unitId, status: 'dispatched', lat: unit.lat, lon: unit.lon } });
  await events.append(m, {
    ...base,
    type: 'assignment.given_back',
    payload: { incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, acknowledgedAt: at.toISOString(), recalled, kept },
  });
  return { assignment: back, recalled, kept };
}
