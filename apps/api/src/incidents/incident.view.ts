import { JurisdictionIndex, storedHeldReason, worldOf } from '@cad/domain';
import { Assignment, Call, Escalation, Incident } from '@cad/db';
import type { CallView, IncidentAccessView, IncidentView, PossibleDuplicate, Priority } from '@cad/contracts';
export type { AssignmentView, CallView, EscalationView, IncidentView, PossibleDuplicate } from '@cad/contracts';
import { assignmentView, iso } from '../assignments/assignment.view';
export { assignmentView };

/**
 * The incident's own call number: its first call that was not linked in (a merge brings earlier
 * calls), else its first call; null without calls.
 * @param calls the incident's calls in order of receipt
 */
export function incidentCallNumber(calls: readonly Pick<Call, 'linked' | 'callNumber'>[]): string | null {
  return (calls.find((c) => !c.linked) ?? calls[0])?.callNumber ?? null;
}

/** Serialises a call. */
export function callView(c: Call): CallView {
  return { id: c.id, callNumber: c.callNumber, type: c.type, address: c.address, notes: c.notes, receivedAt: c.receivedAt.toISOString(), linked: c.linked, takenOffline: c.takenOffline ?? false, enteredAt: (c.createdAt ?? c.receivedAt).toISOString() };
}

/** What an incident view is built from: its rows and the jurisdiction index for names. */
export interface IncidentParts {
  assignments: Assignment[];
  calls: Call[];
  /** Calls of other incidents that suggest a link to this one. */
  suggestedBy: Call[];
  /** Incidents this one's calls were suggested as a link to (default none). */
  possibleDuplicateOf?: PossibleDuplicate[];
  escalations: Escalation[];
  index: JurisdictionIndex;
  /** The incident's access point on the road network (default null). */
  access?: IncidentAccessView | null;
}

/** Serialises an incident with its assignments, calls, escalations and the names of its jurisdictions. */
export function incidentView(i: Incident, parts: IncidentParts): IncidentView {
  const { assignments, calls, index } = parts;
  const ref = (id: string | null) => {
    const j = id ? index.get(id) : undefined;
    return j ? { id: j.id, name: j.name } : null;
  };
  return {
    id: i.id,
    type: i.type,
    priority: i.priority as Priority,
    status: i.status,
    lat: i.lat,
    lon: i.lon,
    address: i.address,
    receivedAt: i.receivedAt.toISOString(),
    dispatchedAt: iso(i.dispatchedAt),
    resolvedAt: iso(i.resolvedAt),
    exercise: i.exercise,
    drillId: i.drillId,
    world: worldOf(i),
    commandingTier: i.commandingTier as IncidentView['commandingTier'],
    commandingJurisdiction: ref(i.commandingJurisdictionId),
    outsideBoundary: i.outsideBoundary,
    locationUnconfirmed: i.locationUnconfirmed ?? false,
    roadway: i.roadway ?? null,
    headingDegrees: i.headingDegrees ?? null,
    devicePoint: i.deviceLat != null && i.deviceLon != null ? { lat: i.deviceLat, lon: i.deviceLon, accuracyM: i.deviceAccuracyM } : null,
    street: ref(i.streetId),
    access: parts.access ?? null,
    district: ref(i.districtId),
    city: ref(i.cityId),
    callNumber: incidentCallNumber(calls),
    callCount: calls.length,
    calls: calls.map(callView),
    suggestedLinks: parts.suggestedBy.map((c) => ({ ...callView(c), incidentId: c.incidentId })),
    possibleDuplicateOf: parts.possibleDuplicateOf ?? [],
    escalations: parts.escalations.map((e) => ({
      fromTier: e.fromTier,
      toTier: e.toTier,
      toJurisdictionId: e.toJurisdictionId,
      reason: e.reason,
      detail: e.detail,
      actor: e.actor,
      at: e.at.toISOString(),
    })),
    closedAt: iso(i.closedAt),
    disposition: i.disposition,
    mergedInto: i.mergedIntoId ?? null,
    autoDispatch: i.autoDispatch ?? true,
    revision: i.revision,
    lastError: i.lastError,
    lastErrorCoded: storedHeldReason(i),
    assignments: assignments.map(assignmentView),
  };
}
