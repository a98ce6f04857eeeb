/** Shapes of the CAD API contract as seen by the console (WGS84, ISO-8601 UTC timestamps). */
import type { LineString, MultiPolygon, Polygon, FeatureCollection } from 'geojson';

export type JurisdictionLevel = 'city' | 'district' | 'street';

export interface Jurisdiction {
  id: string;
  name: string;
  level: JurisdictionLevel;
  parentId: string | null;
  boundary: Polygon | MultiPolygon;
}

export type RoadCollection = FeatureCollection<LineString, { highway: string; name?: string }>;

export type UnitStatus = 'available' | 'dispatched' | 'en_route' | 'on_scene' | 'out_of_service';

export interface Unit {
  id: string;
  callsign: string;
  unitType: string;
  capabilities: string[];
  status: UnitStatus;
  lat: number;
  lon: number;
  stationId: string | null;
}

export type IncidentStatus =
  | 'received'
  | 'dispatched'
  | 'en_route'
  | 'on_scene'
  | 'resolved'
  | 'closed'
  | 'cancelled';

export type AssignmentStatus = 'dispatched' | 'en_route' | 'on_scene' | 'cleared';

export interface Assignment {
  id: string;
  unitId: string;
  callsign: string;
  capability: string;
  status: AssignmentStatus;
  etaSeconds: number;
  route: LineString | null;
}

export type Priority = 1 | 2 | 3;

export interface Incident {
  id: string;
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
  assignments: Assignment[];
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
}

export interface CadEvent {
  seq: number;
  type: string;
  at: string;
  incidentId: string | null;
  unitId: string | null;
  /** Shape depends on `type` (see the API contract); narrowed by the store. */
  payload: unknown;
}

export interface AvlMessage {
  at: string;
  positions: Array<{ unitId: string; lat: number; lon: number }>;
}

/** Incident statuses that mean the incident is no longer open. */
export const CLOSED_STATUSES: ReadonlySet<IncidentStatus> = new Set(['resolved', 'closed', 'cancelled']);

/** Whether an incident is still open (shown on the map and in the list). */
export function isOpen(incident: Incident): boolean {
  return !CLOSED_STATUSES.has(incident.status);
}

export const UNIT_STATUSES: readonly UnitStatus[] = [
  'available',
  'dispatched',
  'en_route',
  'on_scene',
  'out_of_service',
];
