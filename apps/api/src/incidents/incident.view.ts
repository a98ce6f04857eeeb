import { JurisdictionIndex } from '@cad/domain';
import type { LineString } from 'geojson';
import { Assignment, Incident } from '@cad/db';

/** An assignment as the API and consoles see it. */
export interface AssignmentView {
  id: string;
  incidentId: string;
  unitId: string;
  callsign: string;
  capability: string;
  status: string;
  /** Road travel time at dispatch, seconds. */
  etaSeconds: number;
  routeMetres: number;
  route: LineString | null;
  dispatchedAt: string;
  enRouteAt: string | null;
  onSceneAt: string | null;
  clearedAt: string | null;
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
  commandingTier: string;
  outsideBoundary: boolean;
  street: { id: string; name: string } | null;
  district: { id: string; name: string } | null;
  city: { id: string; name: string } | null;
  callNumber: string | null;
  callCount: number;
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
    callsign: a.unitId,
    capability: a.capability,
    status: a.status,
    etaSeconds: a.etaSeconds,
    routeMetres: a.routeMetres,
    route: a.route,
    dispatchedAt: a.dispatchedAt.toISOString(),
    enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt),
    clearedAt: iso(a.clearedAt),
  };
}

/** Serialises an incident with its assignments and the names of its jurisdictions. */
export function incidentView(
  i: Incident,
  assignments: Assignment[],
  index: JurisdictionIndex,
  calls: { callNumber: string | null; count: number },
): IncidentView {
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
    commandingTier: i.commandingTier,
    outsideBoundary: i.outsideBoundary,
    street: ref(i.streetId),
    district: ref(i.districtId),
    city: ref(i.cityId),
    callNumber: calls.callNumber,
    callCount: calls.count,
    lastError: i.lastError,
    assignments: assignments.map(assignmentView),
  };
}
