/**
 * The views the API answers and its events carry, as the console reads them: one definition for server
 * and console (WGS84 degrees, ISO-8601 UTC times, seconds, metres).
 */
import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { CodedLastError } from '@cad/domain/held-reasons';
import type { AssignmentStatus, IncidentStatus } from '@cad/domain/status';

/** Call priority: 1 emergency (lights and siren), 2 urgent, 3 non-urgent. */
export type Priority = 1 | 2 | 3;

/** The tiers of the command chain, lowest first. */
export type CommandTier = 'street' | 'district' | 'city';

/**
 * Where an incident meets the road network, as shown to dispatchers (issue 18). WGS84 degrees, metres.
 * - `lat`/`lon`: the access point, the nearest point of a road edge (an address: a surface street
 *   within 150 m before a tunnel, bridge deck or motorway above or below it);
 * - `road`: its name (else its `ref`, else its OSM class), `surface` false for a tunnel, bridge deck or motorway;
 * - `besideClosure`: when road closures cut the access point off, where units are sent instead (the
 *   nearest node the open roads reach) and the metres left from there (on foot, or the closed block).
 */
export interface IncidentAccessView {
  lat: number;
  lon: number;
  distanceMetres: number;
  road: string | null;
  surface: boolean;
  besideClosure: { lat: number; lon: number; remainingMetres: number } | null;
  /**
   * The roadway the call named (a traffic collision: `"US 101 northbound"`, `"Broadway Tunnel"`) when no
   * road of that name or ref lies within 300 m of its point: it was placed as an address on the nearest
   * surface street instead. Null when no roadway was named or it was found.
   */
  roadwayNotFound: string | null;
}

/** An assignment as the API and consoles see it. */
export interface AssignmentView {
  id: string;
  incidentId: string;
  unitId: string;
  /** `live`, or the drill run id: the world whose copy of the unit holds the task. */
  world: string;
  callsign: string;
  capability: string;
  status: AssignmentStatus;
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
  priority: Priority;
  status: IncidentStatus;
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
  commandingTier: CommandTier;
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
  /** Why the incident is held or not fully dispatched, in the server's English words (as stored). */
  lastError: string | null;
  /** `lastError` coded, for a console to word in its language; null for a reason with no code. */
  lastErrorCoded: CodedLastError | null;
  assignments: AssignmentView[];
}

/** An open incident that this one may duplicate: a call of this incident was suggested as a link to it. */
export interface PossibleDuplicate {
  incidentId: string;
  callNumber: string | null;
  type: string;
  address: string | null;
}

/** A request to another agency's post as the API answers it and events carry it. Times are ISO 8601 instants. */
export interface AgencyRequestView {
  id: string;
  incidentId: string;
  /** `live` or the drill run id. */
  world: string;
  /** The plan slot asked for (`police-1`). */
  slot: string;
  agency: string;
  capability: string;
  /** `open`, `accepted`, `declined`, or `withdrawn` (its incident ended before the post answered). */
  status: string;
  requestedAt: string;
  /** When the post should have answered by (the agency's acknowledgement timeout after the request). */
  dueAt: string;
  /** Set once the request passed `dueAt` unanswered (it escalated its incident; the post may still accept). */
  unansweredAt: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  /** The unit the post sent. */
  unitId: string | null;
  assignmentId: string | null;
  /** Why the post declined. */
  note: string | null;
}

/** A closure as the API shows it. */
export interface ClosureView {
  id: string;
  /** GeoJSON, `[lon, lat]` WGS84 degrees. */
  geometry: LineString | MultiLineString | Polygon | MultiPolygon;
  reason: string;
  /** Road-graph edges it closes (one per direction of each closed block). */
  closedEdges: number;
  endsAt: string | null;
  createdBy: string;
  createdAt: string;
  /** The drill whose scenario closed the road (it applies to that drill's routing only); absent for a live closure. */
  drillId?: string;
}

/** A LOCATION CHANGED alert as a crew's phone shows it. */
export interface LocationAlertView {
  id: string;
  incidentId: string;
  assignmentId: string;
  unitId: string;
  old: { lat: number; lon: number; address: string | null };
  new: { lat: number; lon: number; address: string | null };
  reason: string;
  changedBy: string;
  createdAt: string;
  acknowledgedAt: string | null;
}
