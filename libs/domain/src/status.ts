/** Lifecycle of an incident. `merged` and `cancelled` are terminal like `closed`. */
export const INCIDENT_STATUSES = [
  'received',
  'dispatched',
  'en_route',
  'on_scene',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Status of a unit as seen by dispatch. */
export const UNIT_STATUSES = ['available', 'dispatched', 'en_route', 'on_scene', 'out_of_service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** Status of one unit's assignment to one incident; `cleared` ends it and frees the unit. */
export const ASSIGNMENT_STATUSES = ['dispatched', 'en_route', 'on_scene', 'cleared'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

const ASSIGNMENT_NEXT: Record<AssignmentStatus, AssignmentStatus[]> = {
  dispatched: ['en_route', 'on_scene', 'cleared'],
  en_route: ['on_scene', 'cleared'],
  on_scene: ['cleared'],
  cleared: [],
};

/** Raised when a status change is not allowed from the current status. */
export class InvalidTransition extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${entity} cannot go from ${from} to ${to}`);
  }
}

/**
 * Checks an assignment status change.
 * @throws InvalidTransition when `to` is not reachable from `from` in one step
 */
export function nextAssignmentStatus(from: AssignmentStatus, to: AssignmentStatus): AssignmentStatus {
  if (!ASSIGNMENT_NEXT[from].includes(to)) throw new InvalidTransition('assignment', from, to);
  return to;
}

/** The unit status that goes with an assignment status (a cleared unit is available again). */
export function unitStatusFor(assignment: AssignmentStatus): UnitStatus {
  return assignment === 'cleared' ? 'available' : assignment;
}

const ORDER: Record<IncidentStatus, number> = {
  received: 0,
  dispatched: 1,
  en_route: 2,
  on_scene: 3,
  resolved: 4,
  closed: 5,
  cancelled: 5,
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
  else if (assignments.includes('on_scene')) derived = 'on_scene';
  else if (assignments.includes('en_route')) derived = 'en_route';
  else derived = 'dispatched';
  return ORDER[derived] > ORDER[current] ? derived : current;
}

/** Statuses in which an incident no longer needs or holds resources. */
export const CLOSED_INCIDENT_STATUSES: readonly IncidentStatus[] = INCIDENT_STATUSES.filter((s) => ORDER[s] >= ORDER.resolved);

/** True for statuses in which an incident still needs or holds resources. */
export function isOpenIncident(status: IncidentStatus): boolean {
  return !CLOSED_INCIDENT_STATUSES.includes(status);
}
