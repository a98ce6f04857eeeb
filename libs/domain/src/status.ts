/**
 * Lifecycle of an incident. `resolved` means every unit has cleared; `closed` is the dispatcher's
 * final close (it can be reopened); `cancelled` (no longer needed) can be reopened too (a cancel
 * made by mistake); `merged` (found to be the same emergency as another incident) is terminal.
 */
export const INCIDENT_STATUSES = [
  'received',
  'dispatched',
  'en_route',
  'on_scene',
  'resolved',
  'closed',
  'cancelled',
  'merged',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Status of a unit as seen by dispatch. `returning` is a unit that cleared and is driving back to
 * quarters: it can be dispatched again. `out_of_service` units are never dispatched.
 */
export const UNIT_STATUSES = [
  'available',
  'dispatched',
  'en_route',
  'on_scene',
  'transporting',
  'at_hospital',
  'returning',
  'out_of_service',
] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** Unit statuses from which a unit can be given a new assignment. */
export const DISPATCHABLE_UNIT_STATUSES: readonly UnitStatus[] = ['available', 'returning'];

/**
 * Status of one unit's assignment (task) to one incident. `acknowledged` means the crew confirmed
 * the task; `cleared` ends it and frees the unit.
 */
export const ASSIGNMENT_STATUSES = [
  'dispatched',
  'acknowledged',
  'en_route',
  'on_scene',
  'transporting',
  'at_hospital',
  'cleared',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * A task's steps, strictly in order: acknowledged, en route, on scene, (transporting, at hospital),
 * cleared (available). Cleared before on scene is a cancel and needs a reason (see {@link nextAssignmentStatus}).
 */
const ASSIGNMENT_NEXT: Record<AssignmentStatus, AssignmentStatus[]> = {
  dispatched: ['acknowledged'],
  acknowledged: ['en_route'],
  en_route: ['on_scene'],
  on_scene: ['transporting', 'cleared'],
  transporting: ['at_hospital'],
  at_hospital: ['cleared'],
  cleared: [],
};

/** Statuses from which a crew may cancel its task (clear it before on scene), giving a reason. */
const CANCELLABLE: readonly AssignmentStatus[] = ['dispatched', 'acknowledged', 'en_route'];

/**
 * Why a crew clears its task before reaching the scene (a cancel): each means the task is no longer
 * needed, so the incident's status follows the other tasks (a crew that cannot finish a task it is
 * still needed for, e.g. a breakdown, asks dispatch to replace it instead).
 */
export const TASK_CANCEL_REASONS = ['cancelled_by_dispatch', 'not_needed', 'unable_to_locate', 'handled_by_another_unit'] as const;
export type TaskCancelReason = (typeof TASK_CANCEL_REASONS)[number];

/** The rule an out-of-order task step breaks, named in the refusal. */
export const TASK_ORDER_RULE =
  'a task goes acknowledged, en route, on scene, (transporting, at hospital), available, one step at a time; available before on scene is a cancel and needs a cancelReason';

/** Position of each assignment status in the task's life, for ordering late (offline) reports. */
export const ASSIGNMENT_ORDER: Record<AssignmentStatus, number> = {
  dispatched: 0,
  acknowledged: 1,
  en_route: 2,
  on_scene: 3,
  transporting: 4,
  at_hospital: 5,
  cleared: 6,
};

const UNIT_NEXT: Record<UnitStatus, UnitStatus[]> = {
  available: ['dispatched', 'out_of_service'],
  returning: ['available', 'dispatched', 'out_of_service'],
  dispatched: ['en_route', 'on_scene', 'available', 'returning'],
  en_route: ['on_scene', 'available', 'returning'],
  on_scene: ['transporting', 'available', 'returning'],
  transporting: ['at_hospital', 'available', 'returning'],
  at_hospital: ['available', 'returning'],
  out_of_service: ['available'],
};

/**
 * Checks a unit status change made by hand (a unit going out of service or back in service, or a
 * returning unit arriving in quarters). Changes that come from a task go through the assignment.
 * @throws InvalidTransition when `to` is not reachable from `from` in one step
 */
export function nextUnitStatus(from: UnitStatus, to: UnitStatus): UnitStatus {
  if (from !== to && !UNIT_NEXT[from].includes(to)) throw new InvalidTransition('unit', from, to);
  return to;
}

/** Raised when a status change is not allowed from the current status; `rule` names the rule it breaks. */
export class InvalidTransition extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
    readonly rule?: string,
  ) {
    super(`${entity} cannot go from ${from} to ${to}${rule ? `: ${rule}` : ''}`);
  }
}

/**
 * Checks an assignment (task) status change: one step forward at a time (see {@link TASK_ORDER_RULE}),
 * or `cleared` from dispatched, acknowledged or en route as a cancel with one of
 * {@link TASK_CANCEL_REASONS}. A cancel reason on any other change is refused too.
 * @param cancelReason why a task is cleared before on scene (required then, refused otherwise)
 * @throws InvalidTransition naming {@link TASK_ORDER_RULE} when `to` is not the next step, or the cancel has no reason
 */
export function nextAssignmentStatus(from: AssignmentStatus, to: AssignmentStatus, cancelReason?: TaskCancelReason | null): AssignmentStatus {
  const cancel = to === 'cleared' && CANCELLABLE.includes(from);
  if (cancelReason && !cancel) {
    throw new InvalidTransition('assignment', from, to, 'a cancelReason is only for available (cleared) before on scene');
  }
  if (cancel && !cancelReason) throw new InvalidTransition('assignment', from, to, TASK_ORDER_RULE);
  if (!cancel && !ASSIGNMENT_NEXT[from].includes(to)) throw new InvalidTransition('assignment', from, to, TASK_ORDER_RULE);
  return to;
}

/** The unit status that goes with an assignment status (a cleared unit is available again). */
export function unitStatusFor(assignment: AssignmentStatus): UnitStatus {
  return UNIT_STATUS_OF_TASK[assignment];
}

const UNIT_STATUS_OF_TASK: Record<AssignmentStatus, UnitStatus> = {
  dispatched: 'dispatched',
  acknowledged: 'dispatched',
  en_route: 'en_route',
  on_scene: 'on_scene',
  transporting: 'transporting',
  at_hospital: 'at_hospital',
  cleared: 'available',
};

const ORDER: Record<IncidentStatus, number> = {
  received: 0,
  dispatched: 1,
  en_route: 2,
  on_scene: 3,
  resolved: 4,
  closed: 5,
  cancelled: 5,
  merged: 5,
};

/**
 * Incident status derived from its assignments: the most advanced unit drives it (any unit on scene
 * makes the incident on scene), and an incident whose every assignment is cleared is resolved.
 * An incident never moves backwards; terminal statuses stay.
 * @param current the incident's current status
 * @param assignments statuses of all its assignments (empty: unchanged)
 */
export function incidentStatusFromAssignments(
  current: IncidentStatus,
  assignments: AssignmentStatus[],
): IncidentStatus {
  if (assignments.length === 0 || ORDER[current] >= ORDER.resolved) return current;
  let derived: IncidentStatus;
  if (assignments.every((a) => a === 'cleared')) derived = 'resolved';
  else if (assignments.some((a) => a === 'on_scene' || a === 'transporting' || a === 'at_hospital')) derived = 'on_scene';
  else if (assignments.includes('en_route')) derived = 'en_route';
  else derived = 'dispatched';
  return ORDER[derived] > ORDER[current] ? derived : current;
}

/**
 * {@link incidentStatusFromAssignments} over an incident's task rows: tasks taken back (not acknowledged,
 * cancelled: a `releasedReason`) say nothing about how the incident stands and are left out.
 * @param current the incident's current status
 * @param tasks all its tasks, `{ status, releasedReason }` (null or absent when not taken back)
 */
export function incidentStatusFromTasks(current: IncidentStatus, tasks: readonly { status: AssignmentStatus; releasedReason?: string | null }[]): IncidentStatus {
  return incidentStatusFromAssignments(
    current,
    tasks.filter((x) => !x.releasedReason).map((x) => x.status),
  );
}

/** Statuses in which an incident no longer needs or holds resources. */
export const CLOSED_INCIDENT_STATUSES: readonly IncidentStatus[] = INCIDENT_STATUSES.filter((s) => ORDER[s] >= ORDER.resolved);

/** True for statuses in which an incident still needs or holds resources. */
export function isOpenIncident(status: IncidentStatus): boolean {
  return !CLOSED_INCIDENT_STATUSES.includes(status);
}

const INCIDENT_NEXT: Record<IncidentStatus, IncidentStatus[]> = {
  received: ['dispatched', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled', 'merged'],
  dispatched: ['en_route', 'on_scene', 'resolved', 'closed', 'cancelled', 'merged'],
  en_route: ['on_scene', 'resolved', 'closed', 'cancelled', 'merged'],
  on_scene: ['resolved', 'closed'],
  resolved: ['closed', 'received'],
  closed: ['received'],
  cancelled: ['received'],
  merged: [],
};

/**
 * Checks an incident status change made by a dispatcher (close, cancel, reopen, merge). Closing an
 * incident that still has units working on it is refused by the service, not here.
 * @throws InvalidTransition naming the current status when `to` is not allowed from `from`
 */
export function nextIncidentStatus(from: IncidentStatus, to: IncidentStatus): IncidentStatus {
  if (!INCIDENT_NEXT[from].includes(to)) throw new InvalidTransition('incident', from, to);
  return to;
}

/** Assignment statuses of a unit still working on an incident (every status but `cleared`). */
export const ACTIVE_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ASSIGNMENT_STATUSES.filter((s) => s !== 'cleared');
