import type { IncidentAccessView } from './incident-access';
import { JurisdictionIndex, worldOf } from '@cad/domain';
import type { LineString } from 'geojson';
import { Assignment, Call, Escalation, Incident } from '@cad/db';

/** An assignment as the API and consoles see it. */
export interface AssignmentView {
  id: string;
  incidentId: string;
  unitId: string;
  /** `live`, or the drill run id: the world whose copy of the unit holds the task. */
  world: string;
  callsign: string;
  capability: string;
  status: string;
  /** ETA at dispatch, seconds: turnout + modelled travel (issue 20); null when the unit had no road route to the incident. */
  etaSeconds: number | null;
  /** The turnout counted in `etaSeconds` (the unit type's median from the data), seconds; null for tasks older than the travel model. */
  turnoutSeconds: number | null;
  /** The modelled travel counted in `etaSeconds`, seconds (`etaSeconds − turnoutSeconds`); null when unreachable. */
  travelSeconds: number | null;
  routeMetres: number;
  route: LineString | null;
  dispatchedAt: string;
  acknowledgedAt: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  transportingAt: string | null;
  atHospitalAt: string | null;
  clearedAt: string | null;
  /** Why the task was taken back before it finished (`not_acknowledged`, `incident_cancelled`), else null. */
  releasedReason: string | null;
  /** Why the crew cancelled the task (cleared it before on scene), one of `TASK_CANCEL_REASONS`, else null. */
  cancelReason: string | null;
  /** The task (taken back for want of acknowledgement) this one replaces, else null. */
  replacesId: string | null;
  /** Time of the status in force. */
  statusAt: string;
}

/** A call for service as shown with its incident. */
export interface CallView {
  id: string;
  callNumber: string | null;
  type: string;
  address: string | null;
  notes: string | null;
  receivedAt: string;
  /** True when the call was linked to this incident as another report of it (a duplicate). */
  linked: boolean;
  /** True for a call taken on a console while CAD was down and entered late (at `enteredAt`). */
  takenOffline: boolean;
  /** When the call was entered into CAD (later than `receivedAt` for a call taken offline). */
  enteredAt: string;
}

/** One move of the incident in the command chain. */
export interface EscalationView {
  fromTier: string;
  toTier: string;
  toJurisdictionId: string;
  reason: string;
  detail: string;
  actor: string;
  at: string;
}

/** An incident as the API and consoles see it. Coordinates WGS84 degrees; times ISO-8601 UTC. */
export interface IncidentView {
  id: string;
  type: string;
  priority: number;
  status: string;
  lat: number;
  lon: number;
  address: string | null;
  receivedAt: string;
  dispatchedAt: string | null;
  resolvedAt: string | null;
  exercise: boolean;
  drillId: string | null;
  /** `live`, or the drill run id whose world (fleet) the incident draws on. */
  world: string;
  /** `street`, `district` or `city`. */
  commandingTier: string;
  /** The street, district or city commanding the incident and whose units it draws on. */
  commandingJurisdiction: { id: string; name: string } | null;
  outsideBoundary: boolean;
  /**
   * True while the call's device location and typed address disagree (farther apart than
   * `LOCATION_MISMATCH_M` + accuracy): the incident is at the typed address, `devicePoint` is where
   * the device was; a dispatcher confirms or moves the location.
   */
  locationUnconfirmed: boolean;
  devicePoint: { lat: number; lon: number; accuracyM: number | null } | null;
  /** The roadway (and direction) a collision's call named, which the access point snaps to; null for an address. */
  roadway: string | null;
  /** Direction of travel on `roadway`, degrees clockwise from north; null when not given. */
  headingDegrees: number | null;
  street: { id: string; name: string } | null;
  /** Where the incident meets the road network and where units are sent (see `IncidentAccessView`); null if not computed. */
  access: IncidentAccessView | null;
  district: { id: string; name: string } | null;
  city: { id: string; name: string } | null;
  callNumber: string | null;
  callCount: number;
  /** Every call for service of this incident, first first. */
  calls: CallView[];
  /** Calls of another kind nearby that a dispatcher may want to link here (never linked automatically). */
  suggestedLinks: (CallView & { incidentId: string | null })[];
  /** The other side: open incidents this incident's calls were suggested as a link to (G merges). */
  possibleDuplicateOf: PossibleDuplicate[];
  escalations: EscalationView[];
  closedAt: string | null;
  disposition: string | null;
  /** For a merged incident: the incident it duplicated (its calls and units went there). */
  mergedInto: string | null;
  /**
   * False while the incident is held for a dispatcher: crews failed to acknowledge it too often, so
   * no unit is sent automatically until one is assigned by hand (`lastError` says which slot).
   */
  autoDispatch: boolean;
  revision: number;
  lastError: string | null;
  assignments: AssignmentView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Serialises an assignment. */
export function assignmentView(a: Assignment): AssignmentView {
  return {
    id: a.id,
    incidentId: a.incidentId,
    unitId: a.unitId,
    world: a.world ?? 'live',
    callsign: a.unitId,
    capability: a.capability,
    status: a.status,
    etaSeconds: a.etaSeconds >= 0 ? a.etaSeconds : null,
    turnoutSeconds: a.turnoutSeconds ?? null,
    travelSeconds: a.etaSeconds >= 0 ? a.etaSeconds - (a.turnoutSeconds ?? 0) : null,
    routeMetres: a.routeMetres,
    route: a.route,
    dispatchedAt: a.dispatchedAt.toISOString(),
    acknowledgedAt: iso(a.acknowledgedAt),
    enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt),
    transportingAt: iso(a.transportingAt),
    atHospitalAt: iso(a.atHospitalAt),
    clearedAt: iso(a.clearedAt),
    releasedReason: a.releasedReason ?? null,
    cancelReason: a.cancelReason ?? null,
    replacesId: a.replacesId ?? null,
    statusAt: a.statusAt.toISOString(),
  };
}

/** An open incident that this one may duplicate: a call of this incident was suggested as a link to it. */
export interface PossibleDuplicate {
  incidentId: string;
  callNumber: string | null;
  type: string;
  address: string | null;
}

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
    priority: i.priority,
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
    commandingTier: i.commandingTier,
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
    assignments: assignments.map(assignmentView),
  };
}
