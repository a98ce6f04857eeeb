/** Thin REST client for the CAD API (same origin, JSON). */
import type { Incident, Jurisdiction, RoadCollection, ServerState, Unit } from './types';

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${path} failed: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Fetch all jurisdictions (city, districts, streets) with their boundaries. */
export function fetchJurisdictions(): Promise<Jurisdiction[]> {
  return getJson<Jurisdiction[]>('/api/jurisdictions');
}

/** Fetch the road network as a GeoJSON FeatureCollection of LineStrings. */
export function fetchRoads(): Promise<RoadCollection> {
  return getJson<RoadCollection>('/api/roads');
}

/** Fetch every unit with its current status and position. */
export function fetchUnits(): Promise<Unit[]> {
  return getJson<Unit[]>('/api/units');
}

/** Fetch open incidents (with assignments). */
export function fetchOpenIncidents(): Promise<Incident[]> {
  return getJson<Incident[]>('/api/incidents?open=true');
}

/** Fetch the server's last event sequence number and the drill clock. */
export function fetchState(): Promise<ServerState> {
  return getJson<ServerState>('/api/state');
}

/** Dynamic part of the snapshot: state first, then incidents and units (so replays from lastSeq cover any gap). */
export interface Snapshot {
  state: ServerState;
  incidents: Incident[];
  units: Unit[];
}

/** Load the dynamic snapshot. `/api/state` is read first so that lastSeq never overshoots the lists. */
export async function fetchSnapshot(): Promise<Snapshot> {
  const state = await fetchState();
  const [incidents, units] = await Promise.all([fetchOpenIncidents(), fetchUnits()]);
  return { state, incidents, units };
}
