import type { EntityManager } from 'typeorm';
import { ASSIGNMENT_ORDER, AssignmentStatus } from '@cad/domain';
import type { LateAckPayload, LateStep } from '@cad/contracts';
import { Assignment, Unit } from '@cad/db';
import type { EventsService } from '../events/events.service';
import { lateAckHold, latestLateAck } from './late-ack.store';

/**
 * True when a late report of `to` on task `a` shows a crew working a task the acknowledgement timer took
 * back: the task is released `not_acknowledged` and the crew reports a step past `dispatched` short of
 * clearing (acknowledged, en route, on scene, transporting, at hospital).
 */
export function showsLateAck(a: Assignment, to: AssignmentStatus): boolean {
  return a.status === 'cleared' && a.releasedReason === 'not_acknowledged' && to !== 'cleared' && ASSIGNMENT_ORDER[to] > ASSIGNMENT_ORDER.dispatched;
}

/**
 * Raises (or updates) the dispatcher's late-acknowledgement alert inside the caller's transaction, for a
 * late report (`to` tapped at `at`) that {@link showsLateAck}, when the decision it contradicts is still the
 * timer's alone: the unit is out of service by the timer (`out_of_service_by` `timer:*`), or already
 * awaiting the dispatcher for this task. Nothing of the task is changed (a late report is never applied
 * over the decision made meanwhile); the unit stays out of service, now held for the dispatcher
 * (`out_of_service_by` {@link lateAckHold}) with a `unit.status` event coded `late_report` the first time,
 * so the board says why. Appends `assignment.late_ack` with every late step so far.
 * A unit a person took out of service, put back or sent elsewhere meanwhile raises nothing.
 * @returns the alert's payload, or null when none is raised
 */
export async function raiseLateAck(
  m: EntityManager,
  events: EventsService,
  a: Assignment,
  to: AssignmentStatus,
  at: Date,
  ctx: { actor: string; jurisdictionIds: string[] },
): Promise<LateAckPayload | null> {
  if (!showsLateAck(a, to)) return null;
  const unit = await m.findOne(Unit, { where: { world: a.world, id: a.unitId }, lock: { mode: 'pessimistic_write' } });
  const by = unit?.outOfServiceBy ?? '';
  const held = by === lateAckHold(a.id);
  if (!unit || unit.status !== 'out_of_service' || !(held || by.startsWith('timer:'))) return null;
  const before = held ? await latestLateAck(m, a.incidentId, a.id) : null;
  const steps: LateStep[] = [...(before?.steps ?? []).filter((x) => x.status !== to), { status: to, at: at.toISOString() }].sort(
    (x, y) => ASSIGNMENT_ORDER[x.status as AssignmentStatus] - ASSIGNMENT_ORDER[y.status as AssignmentStatus],
  );
  const newest = steps[steps.length - 1]!;
  const replacements = (await m.find(Assignment, { where: { replacesId: a.id }, order: { dispatchedAt: 'ASC' } })).map((r) => ({ unitId: r.unitId, assignmentId: r.id, status: r.releasedReason ? 'cleared' : r.status }));
  const now = new Date();
  const payload: LateAckPayload = {
    incidentId: a.incidentId,
    assignmentId: a.id,
    unitId: a.unitId,
    reported: newest.status,
    reportedAt: newest.at,
    steps,
    receivedAt: now.toISOString(),
    takenBackAt: a.statusAt.toISOString(),
    replacements,
  };
  const base = { incidentId: a.incidentId, unitId: a.unitId, jurisdictionIds: ctx.jurisdictionIds, at: now, actor: ctx.actor };
  if (!held) {
    await m.update(Unit, { world: a.world, id: a.unitId }, { outOfServiceBy: lateAckHold(a.id) });
    const detail = `${a.unitId} reports ${newest.status} (tapped ${newest.at}, received ${payload.receivedAt}) on a task taken back at ${payload.takenBackAt}: awaiting the dispatcher`;
    await events.append(m, { ...base, type: 'unit.status', payload: { unitId: a.unitId, status: 'out_of_service', lat: unit.lat, lon: unit.lon, reason: 'late_report', detail } });
  }
  await events.append(m, { ...base, type: 'assignment.late_ack', payload });
  return payload;
}

