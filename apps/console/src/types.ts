/** Shapes of the CAD API contract as seen by the console (WGS84, ISO-8601 UTC timestamps). */
import type { LineString, MultiPolygon, Polygon, FeatureCollection } from 'geojson';
import { ASSIGNMENT_STATUSES, UNIT_STATUSES, type AssignmentStatus, type IncidentStatus, type UnitStatus } from '@cad/domain/status';

// Statuses and their order come from the domain's state machines (pure TypeScript, bundled by Vite).
export { UNIT_STATUSES, type AssignmentStatus, type IncidentStatus, type UnitStatus };
/** Assignment (task) statuses in the order a task goes through them. */
export const ASSIGNMENT_FLOW = ASSIGNMENT_STATUSES;

export type JurisdictionLevel = 'city' | 'district' | 'street';

export interface Jurisdiction {
  id: string;
  name: string;
  level: JurisdictionLevel;
  parentId: string | null;
  boundary: Polygon | MultiPolygon;
}

export type RoadCollection = FeatureCollection<LineString, { highway: string; name?: string }>;


export interface Unit {
  id: string;
  callsign: string;
  unitType: string;
  capabilities: string[];
  status: UnitStatus;
  lat: number;
  lon: number;
  stationId: string | null;
  /** The street whose units the unit belongs to (its station's street). */
  homeStreetId?: string | null;
  /** Corrected time of the unit's current AVL fix (null: none yet; absent on older servers). */
  fixAt?: string | null;
}

/** Assignment statuses in which the unit is still on its way (its route is drawn). */
export const MOVING_STATUSES: ReadonlySet<string> = new Set(['dispatched', 'acknowledged', 'en_route']);

export interface Assignment {
  id: string;
  unitId: string;
  callsign: string;
  capability: string;
  status: AssignmentStatus;
  /** Turnout + modelled travel at dispatch, seconds (issue 20). */
  etaSeconds: number;
  /** The turnout counted in `etaSeconds`, seconds; absent for older tasks. */
  turnoutSeconds?: number | null;
  route: LineString | null;
  dispatchedAt?: string;
  enRouteAt?: string | null;
  /** Why the task was taken back before it finished (`not_acknowledged`, `incident_cancelled`). */
  releasedReason?: string | null;
  /** The task (taken back for want of acknowledgement) this one replaces. */
  replacesId?: string | null;
}

export type Priority = 1 | 2 | 3;

/** Where an incident meets the road network, and where units stop when closures cut it off (metres). */
export interface IncidentAccess {
  lat: number;
  lon: number;
  distanceMetres: number;
  road: string | null;
  surface: boolean;
  besideClosure: { lat: number; lon: number; remainingMetres: number } | null;
}

export interface Incident {
  id: string;
  /** The access point (absent on older servers). */
  access?: IncidentAccess | null;
  callNumber: string | null;
  type: string;
  priority: Priority;
  status: IncidentStatus;
  lat: number;
  lon: number;
  address: string | null;
  receivedAt: string;
  exercise: boolean;
  street: { id: string; name: string } | null;
  district: { id: string; name: string } | null;
  outsideBoundary: boolean;
  /** The caller's device location disagreed with the typed address (absent on older servers). */
  locationUnconfirmed?: boolean;
  devicePoint?: { lat: number; lon: number; accuracyM: number | null } | null;
  assignments: Assignment[];
  /** Which tier commands the incident, and which jurisdiction of that tier (absent on older servers). */
  commandingTier?: CommandTier;
  commandingJurisdiction?: { id: string; name: string } | null;
  calls?: IncidentCall[];
  /** Calls nearby that may report the same emergency (never linked automatically). */
  suggestedLinks?: Array<IncidentCall & { incidentId: string | null }>;
  /** Open incidents this one's calls were suggested as a link to (press G to merge). */
  possibleDuplicateOf?: Array<{ incidentId: string; callNumber: string | null; type: string; address: string | null }>;
  escalations?: Array<{ fromTier: string; toTier: string; reason: string; detail?: string; actor?: string; at: string }>;
  disposition?: string | null;
  /** The drill an exercise incident belongs to. */
  drillId?: string | null;
  /** `live`, or the drill run id whose simulated fleet the incident draws on (absent on older servers). */
  world?: string;
  /** Why dispatch could not do its part (e.g. a slot no unit could fill, or a hold for a dispatcher). */
  lastError?: string | null;
  /** False while held for a dispatcher: crews failed to acknowledge too often; assign a unit by hand. */
  autoDispatch?: boolean;
  mergedInto?: string | null;
}

export type CommandTier = 'street' | 'district' | 'city';

/** A call for service linked to an incident. */
export interface IncidentCall {
  id: string;
  callNumber: string | null;
  receivedAt: string;
  type: string;
  address: string | null;
  notes?: string | null;
  linked: boolean;
}

/** Proposed units for an incident, one slot per capability the plan needs. */
export interface Recommendations {
  slots: Array<{ capability: string; unitId: string | null; etaSeconds: number | null; turnoutSeconds?: number | null; reason: string; runnerUp?: unknown }>;
}

/** A road closure drawn by a dispatcher (GeoJSON geometry, `[lon, lat]`). */
export interface RoadClosure {
  id: string;
  geometry: LineString | Polygon;
  reason: string;
  endsAt?: string | null;
  /** Set for a drill scenario's closure: it routes that drill only. */
  drillId?: string;
}

/** A unit's current task as the responder page sees it. */
export interface UnitTask {
  assignment: Assignment;
  incident: Incident;
}

export interface ClockState {
  running: boolean;
  simTime: string | null;
  speed: number;
  drill: string | null;
}

export interface ServerState {
  lastSeq: number;
  clock: ClockState;
  /** The city's IANA time zone, for showing local times. */
  timeZone?: string;
}

export interface CadEvent {
  seq: number;
  type: string;
  at: string;
  incidentId: string | null;
  unitId: string | null;
  /** `live` or the drill run id (absent on older servers: live). */
  world?: string;
  /** Shape depends on `type` (see the API contract); narrowed by the store. */
  payload: unknown;
}

export interface AvlMessage {
  at: string;
  /** `live` or the drill run id whose simulated units moved (absent on older servers: live). */
  world?: string;
  positions: Array<{ unitId: string; lat: number; lon: number }>;
}

/**
 * Incident statuses the console no longer shows. `resolved` (every unit cleared) stays on screen until
 * a dispatcher closes it.
 */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set(['closed', 'cancelled', 'merged']);

/** Whether an incident is still shown (on the map and in a queue): open, or resolved awaiting close. */
export function isOpen(incident: Incident): boolean {
  return !CLOSED_STATUSES.has(incident.status);
}

