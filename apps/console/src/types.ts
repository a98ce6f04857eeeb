/** Shapes of the CAD API contract as seen by the console (WGS84, ISO-8601 UTC timestamps). */
import type { LineString, MultiPolygon, Polygon, FeatureCollection } from 'geojson';
import type { AssignmentView, CallView, ClosureView, IncidentAccessView, IncidentView } from '@cad/contracts/views';
import type { TypedCadEvent } from '@cad/contracts/events';
import { ASSIGNMENT_STATUSES, UNIT_STATUSES, type AssignmentStatus, type IncidentStatus, type UnitStatus } from '@cad/domain/status';

// Statuses and their order come from the domain's state machines (pure TypeScript, bundled by Vite).
export { UNIT_STATUSES, type AssignmentStatus, type IncidentStatus, type UnitStatus };
/** Assignment (task) statuses in the order a task goes through them. */
export const ASSIGNMENT_FLOW = ASSIGNMENT_STATUSES;

// The incident, task, call and closure views and the events are the API's own contract (`@cad/contracts`).
export type { CommandTier, Priority } from '@cad/contracts/views';
/** An incident as the API answers it and events carry it. */
export type Incident = IncidentView;
/** A task (assignment) of a unit to an incident. */
export type Assignment = AssignmentView;
/** A call for service linked to an incident. */
export type IncidentCall = CallView;
/** Where an incident meets the road network, and where units stop when closures cut it off (metres). */
export type IncidentAccess = IncidentAccessView;
/** A road closure (GeoJSON geometry, `[lon, lat]`); `drillId` set for a drill scenario's closure. */
export type RoadClosure = ClosureView;
/** An event from the server, its payload narrowed by its `type`. */
export type CadEvent = TypedCadEvent;

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
  /** Why the import put it out of service (`unmapped-type`, `base-unknown`); null or absent otherwise. */
  importedOut?: string | null;
}

/** Assignment statuses in which the unit is still on its way (its route is drawn). */
export const MOVING_STATUSES: ReadonlySet<string> = new Set(['dispatched', 'acknowledged', 'en_route']);



/** Proposed units for an incident, one slot per capability the plan needs. */
export interface Recommendations {
  slots: Array<{ capability: string; unitId: string | null; etaSeconds: number | null; turnoutSeconds?: number | null; reason: string; runnerUp?: unknown }>;
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
  /** Each running drill's own clock by drill id (`simTime` ISO-8601 UTC; `speed` null = as fast as possible). */
  times?: Record<string, { simTime: string; speed: number | null; paused: boolean }>;
}

export interface ServerState {
  lastSeq: number;
  clock: ClockState;
  /** The city's IANA time zone, for showing local times. */
  timeZone?: string;
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

