/**
 * Event contracts: every committed change is an event with a global sequence number, pushed to
 * consoles over socket.io (`event` message) and kept forever in `incident_event`.
 */
export const EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.escalated',
  'incident.deescalated',
  'incident.resources_requested',
  'incident.merged',
  /**
   * An incident's priority raised: a more urgent call linked to it, or a more urgent incident merged
   * into it (`{incidentId, from, to, reason: 'call_linked' | 'merged', callId?, callNumber?, fromIncidentId?}`).
   */
  'incident.priority_changed',
  'call.linked',
  'call.unlinked',
  'call.suggested_link',
  'assignment.created',
  'assignment.updated',
  'assignment.late_report',
  'assignment.rerouted',
  'road.closed',
  'road.reopened',
  'recommendation.overridden',
  'unit.status',
  'timer.recovered',
  /** An incident moved after dispatch (old and new point and address, reason, who). */
  'incident.location_changed',
  /** A LOCATION CHANGED alert to one crew's phone, to acknowledge. */
  'assignment.location_alert',
  'assignment.location_acknowledged',
  /** A crew did not acknowledge a LOCATION CHANGED alert within `LOCATION_ACK_S`: the dispatcher is alerted. */
  'assignment.location_unacknowledged',
  /**
   * A task taken back because an outage held up its crew's acknowledgement, given back when the stamped
   * acknowledgement arrived: `{assignmentId, unitId, acknowledgedAt, recalled: unit ids, kept: unit ids}`.
   */
  'assignment.given_back',
  /**
   * A crew's late report (its phone was offline) shows it acknowledged or set off on a task the
   * acknowledgement timer had already taken back: the dispatcher is alerted to give the task back or keep
   * the replacement and stand the crew down; its unit stays out of service awaiting that decision
   * (`out_of_service_by` `late_report:<assignmentId>`). Raised again, updated, by each further late step.
   * Payload: `LateAckPayload`.
   */
  'assignment.late_ack',
  /** The dispatcher's answer to `assignment.late_ack`: the task given back to its crew, or the crew stood down (`LateAckDecidedPayload`). */
  'assignment.late_ack_decided',
  /** A narrative entry on an incident (payload: `{ id, incidentId, at, author, text }`). */
  'incident.narrative',
  /**
   * A unit asked of another agency's post (its `dispatchMode` is `request`), and the post's answer or
   * its silence: payload `{ request }` (the request view: id, incidentId, agency, capability, status,
   * dueAt, unitId, note).
   */
  'agency.requested',
  'agency.request_accepted',
  'agency.request_declined',
  'agency.request_unanswered',
  /**
   * A task not acknowledged at its first timeout: the dispatcher is alerted (re-page, replace, take out
   * of service); at the second timeout the unit is replaced and the incident escalates.
   * Payload: `{ incidentId, assignmentId, unitId, timeoutS, alertedAt, replaceAt }` (ISO-8601 UTC).
   */
  'assignment.ack_overdue',
  /** A dispatcher paged a silent unit's task again: its acknowledgement timer starts over (`{ assignmentId, unitId, by, dueAt }`). */
  'assignment.repaged',
  /** A dispatcher's text message to a unit's phone (payload: `UnitMessageView`, state `sent`). */
  'unit.message',
  /** A message's receipt changed: delivered to the phone, or read by the crew (payload: `UnitMessageView`). */
  'unit.message_receipt',
  /** The hospital a unit transports to, chosen from the city profile's list (`HospitalChoice`). */
  'assignment.hospital',
  /** A personnel accountability report (PAR) done on scene: `{ incidentId, at, by, units, nextDueAt }`. */
  'incident.par',
  /**
   * A move-up's life under MOVE_UP_MODE=apply (see `move-up-policy.ts`): proposed, confirmed by the
   * dispatcher (or the timeout), consented by the owning district, acknowledged by the crew, started
   * (the unit's home station changes and it sets off), done (arrived), refused, cancelled (its unit was
   * dispatched). Payload: {@link MoveUpEventPayload}.
   */
  'moveup.proposed',
  'moveup.confirmed',
  'moveup.consented',
  'moveup.acknowledged',
  'moveup.started',
  'moveup.done',
  'moveup.refused',
  'moveup.cancelled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Payload of every `moveup.*` event: which move, and where it stands after the step. */
export interface MoveUpEventPayload {
  moveId: string;
  unitId: string;
  toStationId: string;
  /** `proposed`, `moving` (started), `done`, `refused` or `cancelled`. */
  status: string;
  /** Why it was refused or cancelled; null otherwise, and when cancelled because its unit was dispatched (see `incidentId`). */
  reason: string | null;
  /** The incident the unit was dispatched to (`moveup.cancelled` by dispatch); null otherwise. */
  incidentId: string | null;
}

/** Payload of `assignment.ack_overdue` (and a row of `GET /api/ack-alerts`): a task its crew has not acknowledged at the first timeout. */
export interface AckOverduePayload {
  incidentId: string;
  assignmentId: string;
  unitId: string;
  /** The unit's acknowledgement timeout (its agency's, from the city profile), seconds. */
  timeoutS: number;
  /** When the dispatcher was alerted, ISO-8601 UTC. */
  alertedAt: string;
  /** When the second timeout replaces the unit and escalates the incident, unless acted on, ISO-8601 UTC. */
  replaceAt: string;
}

/** One stored event as sent to clients. `at` is the event's own time (simulated time in a drill), ISO-8601 UTC. */
export interface CadEvent<P = unknown> {
  seq: number;
  type: EventType;
  at: string;
  incidentId: string | null;
  unitId: string | null;
  /** `live` or the drill run id the event belongs to (its incident's world). */
  world?: string;
  payload: P;
}

/**
 * Optional capabilities a server offers its clients (`GET /api/features` lists them): the console and
 * the responder page show only what the server they talk to can do, so they also work against an
 * older API.
 */
export const SERVER_FEATURES = [
  'timeline',
  'escalate',
  'deescalate',
  'close',
  'cancel',
  'resourceRequests',
  'merge',
  'unlink',
  'recommendations',
  'coverage',
  'roadClosures',
  'unitTask',
  'unitPosition',
  'acknowledged',
  'transporting',
  /** `POST /api/incidents/:id/assignments`: a unit assigned by hand. */
  'assignByHand',
  /** `PATCH /api/units/:id {status}`: a unit out of service or back in service. */
  'unitStatus',
  /** `POST /api/incidents/:id/location`: an incident moved after dispatch, crews alerted. */
  'locationChange',
] as const;
export type ServerFeature = (typeof SERVER_FEATURES)[number];
