import { HEADING_TOLERANCE_DEGREES, bearingGap, isSurfaceWay, planarBearing } from './access-point';
import { haversineMetres } from './geo';
import type { RoadGraph } from './osm-graph';
import type { RoadNetwork, SnapResult } from './road-network';

/** One AVL fix of a unit's track: WGS84 degrees, and its accuracy radius in metres when the phone gave one. */
export interface TrackFix {
  lat: number;
  lon: number;
  accuracyM?: number | null;
}

/**
 * A unit's recent track, for {@link unitStartNode}: its current fix and its trusted fix just before
 * it on the same drive (the caller keeps them within the AVL track window, 60 s).
 */
export interface UnitTrack {
  previous: TrackFix;
  current: TrackFix;
}

/**
 * Why a unit starts where it does:
 * - `nearest-node`: the nearest node touches a surface street, or no surface street is within
 *   `SURFACE_SNAP_METRES` (the unit is on the motorway itself): the nearest node, as before;
 * - `surface-street`: the nearest node lies only on tunnels, bridge decks or motorways and a surface
 *   street is within reach: the nearer end of that street's edge;
 * - `driving-roadway`: the nearest node lies only on such roads and the track shows the unit driving
 *   along one: the nearest node, kept.
 */
export type UnitStartRule = 'nearest-node' | 'surface-street' | 'driving-roadway';

/** Result of {@link unitStartNode}: the node, its distance (m, haversine) and the rule that chose it. */
export interface UnitStart extends SnapResult {
  rule: UnitStartRule;
}

/**
 * Least distance between the two fixes of a track for it to count as moving, metres: above the
 * few metres a parked phone's fix wanders (and never less than both fixes' accuracy radii summed).
 */
export const MOVING_METRES = 20;

/** True when node `v` is an end of an edge (either direction) of a surface street ({@link isSurfaceWay}). */
export function touchesSurfaceStreet(graph: RoadGraph, v: number): boolean {
  const { forward, reverse, ways, edgeWay } = graph;
  for (let e = forward.firstOut[v]; e < forward.firstOut[v + 1]; e++) if (isSurfaceWay(ways[edgeWay[e]])) return true;
  // In-edges u -> v: the reverse adjacency names u; the edge's way is on u's forward edge to v.
  for (let r = reverse.firstOut[v]; r < reverse.firstOut[v + 1]; r++) {
    const u = reverse.head[r];
    for (let e = forward.firstOut[u]; e < forward.firstOut[u + 1]; e++) {
      if (forward.head[e] === v && isSurfaceWay(ways[edgeWay[e]])) return true;
    }
  }
  return false;
}

/**
 * Whether a track shows a unit driving along a tunnel, bridge deck or motorway: its two fixes are
 * at least {@link MOVING_METRES} and both accuracy radii apart, and at each fix the nearest road
 * going the track's way (within 60° of the bearing from the earlier fix to the later) is such a road,
 * going that way. A parked unit's wandering fixes, or a drive on the surface street above, do not.
 */
export function drivingAlongRoadway(network: RoadNetwork, track: UnitTrack): boolean {
  const { previous: p, current: c } = track;
  const moved = haversineMetres(p.lat, p.lon, c.lat, c.lon);
  if (moved < Math.max(MOVING_METRES, (p.accuracyM ?? 0) + (c.accuracyM ?? 0))) return false;
  const heading = planarBearing(p.lat, p.lon, c.lat, c.lon);
  const g = network.graph;
  return [p, c].every((f) => {
    // surfaceWithinMetres 0: the nearest road of any kind, the carriageway of the heading first.
    const a = network.accessPoint(f.lat, f.lon, { surfaceWithinMetres: 0, headingDegrees: heading });
    const leg = a.legs[0];
    if (a.road === null || a.road.surface || leg === undefined || leg.edge < 0) return false;
    const v = g.forward.head[leg.edge];
    return bearingGap(planarBearing(g.lat[leg.node], g.lon[leg.node], g.lat[v], g.lon[v]), heading) <= HEADING_TOLERANCE_DEGREES;
  });
}

/**
 * Where a unit starts on the road graph: the node of the main component its routes and ETAs leave
 * from. The nearest node ({@link RoadNetwork.snap}), unless that node lies only on tunnels, bridge
 * decks or motorways (none of its edges is a surface street): a unit at its station or parked is on
 * the street, so it starts from the surface street an address there snaps to (the same rule and
 * reach as an incident's access point: the nearest surface street within `SURFACE_SNAP_METRES`,
 * 150 m, see `EdgeSnapIndex.snap`), at that edge's end nearer the unit (the lower node id on a
 * tie). The nearest node is kept when no surface street is within reach (the unit is on the
 * motorway itself), or when `track` shows the unit driving along such a road
 * ({@link drivingAlongRoadway}). Where the nearest node touches a surface street the answer is
 * exactly `snap`'s, so units away from such roads start where they always did.
 * Issue: Medic 60 parked at the Presidio Main Post, 75 m from a call, started inside the US 101
 * tunnel 13 m below it (5,356 m and 338 s to the call).
 * @param track the unit's current AVL fix and its trusted fix before it, when its position is a fresh fix
 * @throws {RangeError} naming `lat` / `lon` as {@link RoadNetwork.snap}
 */
export function unitStartNode(network: RoadNetwork, lat: number, lon: number, track?: UnitTrack): UnitStart {
  const nearest = network.snap(lat, lon);
  if (touchesSurfaceStreet(network.graph, nearest.node)) return { ...nearest, rule: 'nearest-node' };
  if (track !== undefined && drivingAlongRoadway(network, track)) return { ...nearest, rule: 'driving-roadway' };
  const a = network.accessPoint(lat, lon);
  const leg = a.legs[0];
  if (a.road === null || !a.road.surface || leg === undefined || leg.edge < 0) return { ...nearest, rule: 'nearest-node' };
  const g = network.graph;
  const ends = [leg.node, g.forward.head[leg.edge]].map((node) => ({ node, distanceMetres: haversineMetres(lat, lon, g.lat[node], g.lon[node]) }));
  ends.sort((x, y) => x.distanceMetres - y.distanceMetres || x.node - y.node);
  return { ...ends[0], rule: 'surface-street' };
}
