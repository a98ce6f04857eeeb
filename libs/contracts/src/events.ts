/**
 * What each event type carries: one payload shape per type, for the server that appends events and the
 * consoles that apply them (no casts). Times ISO-8601 UTC, WGS84 degrees, seconds, metres.
 */
import type { AckOverduePayload, CadEvent, EventType, MoveUpEventPayload } from '@cad/domain/events';
import type { UnitStatus } from '@cad/domain/status';
import type { NarrativeEntry } from '@cad/domain/call-record';
import type { HospitalChoice, UnitMessageView } from '@cad/domain/unit-messages';
import type { AgencyRequestView, AssignmentView, ClosureView, CommandTier, IncidentView, LocationAlertView } from './views';

/** An incident moved in the command chain (`incident.escalated`, `incident.deescalated`). */
export interface EscalatedPayload {
  incidentId: string;
  fromTier: CommandTier;
  toTier: CommandTier;
  toJurisdictionId: string;
  /** Why: `manual`, `ack_timeout`, `pending_timeout`, `no_unit`… */
  reason: string;
  detail?: string;
  revision: number;
}

/** A task created or changed (`assignment.created`, `.updated`, `.rerouted`). */
export interface AssignmentPayload {
  incidentId: string;
  assignment: AssignmentView;
  /** Why the unit was chosen, or why the task was taken back or re-routed. */
  reason?: string;
  detail?: string;
  /** When a crew's report was stamped, when earlier than its arrival (an outage). */
  reportedAt?: string;
  /** The unit ranked second for the slot (`assignment.created`). */
  runnerUp?: unknown;
  /** The tier whose units the task drew on (`assignment.created`). */
  tier?: CommandTier;
  /** No road route to the incident any more (`assignment.rerouted`). */
  unreachable?: boolean;
  /** The task's incident now, when the task moved to another one (`assignment.updated` of a merge: the survivor). */
  incident?: IncidentView;
}

/** A unit's status (and position) changed. */
export interface UnitStatusPayload {
  unitId: string;
  status: UnitStatus;
  lat: number;
  lon: number;
  reason?: string;
  detail?: string;
}

/** Units asked of a higher tier or another agency, and what came (`incident.resources_requested`). */
export interface ResourcesRequestedPayload {
  incidentId: string;
  fromTier: CommandTier;
  toTier: CommandTier;
  toJurisdictionId: string | null;
  /**
   * Why: the dispatcher's own words (`alarm 2`, typed text), or `not_acknowledged` when the server sent
   * a replacement for a task its crew did not acknowledge (then `replacesUnitId` names that unit).
   * Events stored before the code carry `replaces <unitId>: not acknowledged` instead.
   */
  reason: string;
  /** The unit whose unacknowledged task this replacement takes over (with `reason: 'not_acknowledged'`). */
  replacesUnitId?: string;
  /** The task taken back from that unit (with `reason: 'not_acknowledged'`). */
  replacesAssignmentId?: string;
  requested: unknown;
  sent: unknown;
  unfilled: string[];
  agencyRequests: Array<{ id: string; agency: string; capability: string }>;
}

/** Payload of `incident.merged`: `from` was a duplicate of `into`; its calls and units moved there. */
export interface MergedPayload {
  incidentId: string;
  into: string;
  /** The surviving incident's call number (absent on events stored before it was recorded). */
  intoCallNumber?: string | null;
  from: string;
  fromCallNumber: string | null;
  reason: string;
  calls: string[];
  units: string[];
}

/** Payload of `call.linked`: another report of the same emergency, linked to an incident. */
export interface CallLinkedPayload {
  callId: string;
  callNumber: string | null;
  incidentId: string;
  /** Distance from the incident, metres. */
  metres: number;
  type: string;
  receivedAt: string;
}

/** Payload of `call.suggested_link`: a call nearby that may report the same emergency (never linked automatically). */
export interface SuggestedLinkPayload {
  callId: string;
  incidentId: string;
  suggestedIncidentId: string;
  metres: number;
  otherType: string;
}

/** Payload of `assignment.late_report`: a crew's report older than the status in force (kept, not applied). */
export interface LateReportPayload {
  assignmentId: string;
  reported: string;
  reportedAt: string;
  current: string;
  currentAt: string;
}

/** Payload of `recommendation.overridden`: a dispatcher chose another unit than the recommended one. */
export interface OverriddenPayload {
  incidentId: string;
  unitId: string;
  capability: string;
  reason: string;
  recommended: { unitId: string | null; etaSeconds: number | null } | null;
}

/** Payload of `timer.recovered`: a deadline whose job was lost, fired by the reconciler. */
export interface TimerRecoveredPayload {
  deadlineId: string;
  kind: string;
  dueAt: string;
  acted: boolean;
  escalated: boolean;
}

/** Payload of `incident.location_changed`. */
export interface LocationChangedPayload {
  incidentId: string;
  old: { lat: number; lon: number; address: string | null };
  new: { lat: number; lon: number; address: string | null };
  reason: string;
  changedBy: string;
  /** Units whose crews were alerted. */
  alerted: string[];
}

/** Payload of `assignment.given_back`: a task taken back in an outage, given back when its stamped acknowledgement arrived. */
export interface GivenBackPayload {
  incidentId: string;
  assignmentId: string;
  unitId: string;
  acknowledgedAt: string;
  recalled: string[];
  kept: string[];
}

/** A step a crew reported late on its phone: the task status and when it was tapped (server clock), ISO-8601 UTC. */
export interface LateStep {
  status: string;
  at: string;
}

/**
 * Payload of `assignment.late_ack` (and a row of `GET /api/late-ack-alerts`): a crew whose task the
 * acknowledgement timer took back has shown, by reports that arrived late, that it did acknowledge.
 */
export interface LateAckPayload {
  incidentId: string;
  assignmentId: string;
  unitId: string;
  /** What the crew says it is doing: its most advanced late step (`acknowledged`, `en_route`, `on_scene`...). */
  reported: string;
  /** When the crew tapped that step, ISO-8601 UTC (the phone's stamp on the server clock). */
  reportedAt: string;
  /** Every late step the crew sent for the task, in order. */
  steps: LateStep[];
  /** When the latest report reached CAD, ISO-8601 UTC. */
  receivedAt: string;
  /** When the timer took the task back, ISO-8601 UTC. */
  takenBackAt: string;
  /** The units sent to replace the task and where their tasks stand (`dispatched` and `acknowledged` have not left yet). */
  replacements: { unitId: string; assignmentId: string; status: string }[];
}

/** Payload of `assignment.late_ack_decided`: the dispatcher's answer to a late acknowledgement. */
export interface LateAckDecidedPayload {
  incidentId: string;
  assignmentId: string;
  unitId: string;
  /** `given_back`: the crew keeps working the task; `stood_down`: the replacement keeps it and the crew is free. */
  decision: 'given_back' | 'stood_down';
  by: string;
  /** Replacements recalled (they had not left yet) when the task was given back. */
  recalled: string[];
  /** Replacements that stay on the incident. */
  kept: string[];
}

/** Payload of `assignment.repaged`: the dispatcher paged a silent unit again; its timer starts over. */
export interface RepagedPayload {
  assignmentId: string;
  unitId: string;
  by: string;
  dueAt: string;
}

/** Payload of `incident.par`: a personnel accountability report done on scene. */
export interface ParPayload {
  incidentId: string;
  at: string;
  by: string;
  units: string[];
  nextDueAt: string;
}

/** Payload of the `agency.*` events: the request (and why it escalated, when unanswered). */
export interface AgencyRequestPayload {
  request: AgencyRequestView;
  detail?: string;
}

/** Payload of `incident.priority_changed`: the incident became more urgent. */
export interface PriorityChangedPayload {
  incidentId: string;
  /** Priorities, 1 most urgent. */
  from: number;
  to: number;
  reason: 'call_linked' | 'merged';
  callId?: string;
  callNumber?: string | null;
  fromIncidentId?: string;
}

/** The payload each event type carries. */
export interface EventPayloads {
  'incident.created': IncidentView;
  'incident.updated': IncidentView;
  'incident.escalated': EscalatedPayload;
  'incident.deescalated': EscalatedPayload;
  'incident.resources_requested': ResourcesRequestedPayload;
  'incident.merged': MergedPayload;
  'incident.priority_changed': PriorityChangedPayload;
  'call.linked': CallLinkedPayload;
  'call.unlinked': { callId: string; incidentId: string; callNumber?: string | null };
  'call.suggested_link': SuggestedLinkPayload;
  'assignment.created': AssignmentPayload;
  'assignment.updated': AssignmentPayload;
  'assignment.late_report': LateReportPayload;
  'assignment.rerouted': AssignmentPayload;
  'road.closed': ClosureView;
  'road.reopened': ClosureView & { removedAt?: string };
  'recommendation.overridden': OverriddenPayload;
  'unit.status': UnitStatusPayload;
  'timer.recovered': TimerRecoveredPayload;
  'incident.location_changed': LocationChangedPayload;
  'assignment.location_alert': LocationAlertView;
  'assignment.location_acknowledged': LocationAlertView;
  'assignment.location_unacknowledged': LocationAlertView & { message: string };
  'assignment.given_back': GivenBackPayload;
  'assignment.late_ack': LateAckPayload;
  'assignment.late_ack_decided': LateAckDecidedPayload;
  'incident.narrative': NarrativeEntry;
  'agency.requested': AgencyRequestPayload;
  'agency.request_accepted': AgencyRequestPayload;
  'agency.request_declined': AgencyRequestPayload;
  'agency.request_unanswered': AgencyRequestPayload;
  'assignment.ack_overdue': AckOverduePayload;
  'assignment.repaged': RepagedPayload;
  'unit.message': UnitMessageView;
  'unit.message_receipt': UnitMessageView;
  'assignment.hospital': HospitalChoice;
  'incident.par': ParPayload;
  'moveup.proposed': MoveUpEventPayload;
  'moveup.confirmed': MoveUpEventPayload;
  'moveup.consented': MoveUpEventPayload;
  'moveup.acknowledged': MoveUpEventPayload;
  'moveup.started': MoveUpEventPayload;
  'moveup.done': MoveUpEventPayload;
  'moveup.refused': MoveUpEventPayload;
  'moveup.cancelled': MoveUpEventPayload;
}

/** An event of one type with its payload (a type added to `EVENT_TYPES` without a payload here fails to compile). */
export type CadEventOf<T extends EventType> = Omit<CadEvent<EventPayloads[T]>, 'type'> & { type: T };

/** Any event, narrowed to its payload by `type` (`if (ev.type === 'unit.status') ev.payload.unitId`). */
export type TypedCadEvent = { [T in EventType]: CadEventOf<T> }[EventType];
