import type { AccessOptions, RoadNetwork } from '@cad/routing';
import type { IncidentAccessView } from '@cad/contracts';
export type { IncidentAccessView } from '@cad/contracts';

/** An incident's point and, for a traffic collision, the roadway and heading its call named. WGS84 degrees. */
export interface IncidentPoint {
  lat: number;
  lon: number;
  roadway?: string | null;
  headingDegrees?: number | null;
}

/**
 * How an incident snaps to the road graph: to the roadway (and carriageway) its call named, else as an
 * address (a surface street within 150 m before a tunnel, bridge deck or motorway). No I/O.
 */
export function accessOptionsOf(p: IncidentPoint): AccessOptions {
  return { roadway: p.roadway ?? undefined, headingDegrees: p.headingDegrees ?? undefined };
}

/**
 * The {@link IncidentAccessView} of a point on a network (with that network's current closures).
 * No database access. @throws {RangeError} for out-of-range coordinates (never stored, so never seen).
 */
export function incidentAccess(network: RoadNetwork, p: IncidentPoint): IncidentAccessView {
  const { access, beside } = network.approach(p.lat, p.lon, accessOptionsOf(p));
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    lat: access.lat,
    lon: access.lon,
    distanceMetres: round(access.distanceMetres),
    road: access.road ? (access.road.name ?? access.road.ref ?? access.road.highway) : null,
    surface: access.road?.surface ?? true,
    besideClosure: beside ? { lat: beside.lat, lon: beside.lon, remainingMetres: round(beside.remainingMetres) } : null,
    roadwayNotFound: access.roadwayMatched === false ? (p.roadway ?? null) : null,
  };
}
