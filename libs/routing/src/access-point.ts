import KDBush from 'kdbush';
import * as geokdbush from 'geokdbush';
import { EARTH_RADIUS_METRES, haversineMetres } from './geo';
import { edgeTails, type RoadGraph, type RoadWay } from './osm-graph';

/**
 * One way to drive onto an access point: along forward edge `edge` (from its tail node `node`), the
 * fraction `fraction` of its length, taking `seconds` (s) over `metres` (m) from the node. A leg with
 * `edge === -1` is the node itself (`fraction`, `seconds` and `metres` are 0).
 */
export interface AccessLeg {
  node: number;
  edge: number;
  fraction: number;
  seconds: number;
  metres: number;
}

/** The road an access point lies on (from its OSM way; absent on a graph without ways). */
export interface AccessRoad {
  osmId: number;
  highway: string;
  name?: string;
  ref?: string;
  /** False for a tunnel, a bridge deck, a way on another layer, or a motorway (see {@link isSurfaceWay}). */
  surface: boolean;
}

/**
 * Where an incident meets the road network: the nearest point of an edge (not a node), WGS84 degrees.
 * `legs` lists the directed edges a vehicle can drive to reach it (one on a one-way road or when a
 * direction was asked for, two on a two-way street).
 */
export interface AccessPoint {
  lat: number;
  lon: number;
  /** Great-circle distance from the queried point, metres. */
  distanceMetres: number;
  legs: AccessLeg[];
  road: AccessRoad | null;
  /**
   * Set only when a roadway was named (`AccessOptions.roadway`): true when a way of that name or ref was
   * within {@link ROADWAY_SNAP_METRES} and the point snapped to it, false when none was and the point
   * was taken as an address (a misheard or unknown name: the console says so).
   */
  roadwayMatched?: boolean;
}

/** Options of {@link EdgeSnapIndex.snap}. */
export interface AccessOptions {
  /**
   * The roadway the caller names (a traffic collision): an OSM `name` or `ref` (`"US 101"`,
   * `"Presidio Parkway"`), or `"tunnel"` / `"bridge"`, optionally followed by a direction word
   * (`northbound`, `NB`, `southbound`, ... ). Matched ignoring case, spaces and punctuation. Without
   * it, the point is an address: surface streets win (see `surfaceWithinMetres`).
   */
  roadway?: string;
  /** Direction of travel, degrees clockwise from true north in [0, 360): keeps the carriageway going that way. */
  headingDegrees?: number;
  /**
   * An address snaps to the nearest surface street within this distance (metres, default
   * {@link SURFACE_SNAP_METRES}) even when a tunnel, a bridge deck or a motorway is nearer.
   */
  surfaceWithinMetres?: number;
}

/**
 * Default reach of the surface-street preference, metres: about one San Francisco block (the
 * 400 ft north-south blocks are 122 m). A point whose nearest surface street is further than this
 * (a call from the motorway itself) snaps to whatever road is nearest.
 */
export const SURFACE_SNAP_METRES = 150;
/** How far a named roadway is looked for around a collision's point, metres. */
export const ROADWAY_SNAP_METRES = 300;
/** Largest difference between an edge's bearing and the heading asked for, degrees. */
export const HEADING_TOLERANCE_DEGREES = 60;
/** Edges are indexed by sample points at most this far apart, metres. */
const SAMPLE_SPACING_METRES = 30;
const METRES_PER_DEGREE = (EARTH_RADIUS_METRES * Math.PI) / 180;

const DIRECTION_WORDS: Record<string, number> = {
  NORTHBOUND: 0, NB: 0, EASTBOUND: 90, EB: 90, SOUTHBOUND: 180, SB: 180, WESTBOUND: 270, WB: 270,
};

/**
 * True for a road at street level: not a tunnel (`tunnel=building_passage`, a passage through a
 * building at ground level, counts as street level), not a bridge deck, not on another `layer`, and
 * not a motorway or motorway link (OSM wiki: Key:tunnel, Key:bridge, Key:layer, Tag:highway=motorway).
 * A way with no tags beyond its class (a synthetic graph) is at street level.
 */
export function isSurfaceWay(way: RoadWay | undefined): boolean {
  if (way === undefined) return true;
  if (way.tunnel !== undefined && way.tunnel !== 'building_passage') return false;
  if (way.bridge !== undefined) return false;
  if (way.layer !== undefined && way.layer !== 0) return false;
  return way.highway !== 'motorway' && way.highway !== 'motorway_link';
}

const squash = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Splits `"US-101 northbound"` into the roadway key `US101` and a heading (degrees) when a direction word ends it. */
function parseRoadway(roadway: string): { key: string; heading?: number } {
  const words = roadway.trim().split(/\s+/);
  const last = squash(words[words.length - 1] ?? '');
  if (words.length > 1 && DIRECTION_WORDS[last] !== undefined) {
    return { key: squash(words.slice(0, -1).join(' ')), heading: DIRECTION_WORDS[last] };
  }
  return { key: squash(roadway) };
}

function wayMatches(way: RoadWay | undefined, key: string): boolean {
  if (way === undefined || key === '') return false;
  if (key === 'TUNNEL' && way.tunnel !== undefined) return true;
  if (key === 'BRIDGE' && way.bridge !== undefined) return true;
  if (way.name !== undefined && squash(way.name).includes(key)) return true;
  return (way.ref ?? '').split(';').some((r) => squash(r) === key);
}

/**
 * Whether two calls name the same roadway, as the duplicate check asks: both name none (the surface
 * at their address), or both name one whose key (OSM name or ref, `tunnel`, `bridge`; ignoring case,
 * spaces and punctuation) is the same and whose direction words, when both give one, agree. A call
 * naming a roadway (a tunnel, a motorway) and one naming none are on different roadways: a fire in
 * the Stockton Tunnel is not the crash on Pine St above it.
 */
export function sameRoadway(a: string | null | undefined, b: string | null | undefined): boolean {
  const pa = a?.trim() ? parseRoadway(a) : null;
  const pb = b?.trim() ? parseRoadway(b) : null;
  if (pa === null || pb === null) return pa === pb;
  if (pa.key !== pb.key) return false;
  return pa.heading === undefined || pb.heading === undefined || pa.heading === pb.heading;
}

/** Smallest absolute difference of two bearings, degrees in [0, 180]. */
export function bearingGap(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/**
 * Bearing from one WGS84 point to another (degrees), clockwise from true north in [0, 360), in the
 * local equirectangular projection around the first point (street scale: within a degree of the
 * great-circle initial bearing over a few kilometres). 0 for two equal points.
 */
export function planarBearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dx = (lon2 - lon1) * Math.cos((lat1 * Math.PI) / 180);
  const dy = lat2 - lat1;
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

interface Candidate { edge: number; fraction: number; distance: number }

/**
 * A spatial index over the edges of a road graph's main strongly connected component, for snapping a
 * point to the nearest point of an edge. Each directed edge is indexed by points sampled along it
 * every {@link SAMPLE_SPACING_METRES} m or less (kdbush + geokdbush), so a search of radius `r`
 * finds every edge within `r` of the point. Distances to an edge are measured in a local
 * equirectangular projection around the point (error well under 0.1 % at city scale).
 */
export class EdgeSnapIndex {
  /** Tail node of each forward edge. */
  readonly tail: Uint32Array;
  private readonly index: KDBush<number>;
  private readonly sampleEdge: Uint32Array;

  /** Builds the index (O(E log E); about 0.3 s for the San Francisco graph). */
  constructor(readonly graph: RoadGraph) {
    const { head, metres } = graph.forward;
    const { lat, lon, inMainComponent } = graph;
    this.tail = edgeTails(graph);
    const sLat: number[] = [];
    const sLon: number[] = [];
    const sEdge: number[] = [];
    for (let e = 0; e < graph.edgeCount; e++) {
      const u = this.tail[e];
      const v = head[e];
      if (!inMainComponent[u] || !inMainComponent[v]) continue;
      const k = Math.max(1, Math.ceil(metres[e] / SAMPLE_SPACING_METRES));
      for (let i = 0; i <= k; i++) {
        sLat.push(lat[u] + ((lat[v] - lat[u]) * i) / k);
        sLon.push(lon[u] + ((lon[v] - lon[u]) * i) / k);
        sEdge.push(e);
      }
    }
    this.sampleEdge = Uint32Array.from(sEdge);
    // Items are sample + 1: geokdbush@1 tells results from tree cells by the truthiness of the item.
    const keys = new Uint32Array(sEdge.length);
    for (let i = 0; i < keys.length; i++) keys[i] = i + 1;
    this.index = new KDBush<number>(keys, (k) => sLon[k - 1], (k) => sLat[k - 1], 64, Float64Array);
  }

  /**
   * The access point of a WGS84 point (degrees), on the main strongly connected component:
   * - with `options.roadway`, the nearest edge of a matching way within {@link ROADWAY_SNAP_METRES};
   * - else (an address, or no such roadway in reach), the nearest surface street ({@link isSurfaceWay}) within
   *   `surfaceWithinMetres` (default {@link SURFACE_SNAP_METRES});
   * - else the nearest edge of any road (no distance cut-off: check `distanceMetres`).
   * With a heading (`headingDegrees`, or a direction word in `roadway`), edges whose bearing is more
   * than 60° off are skipped when any edge in reach goes that way. On a divided road the nearest
   * carriageway is the side of the point; a one-way street is only entered in its direction.
   * No validation of `lat`/`lon` (the caller checks them).
   */
  snap(lat: number, lon: number, options: AccessOptions = {}): AccessPoint {
    const parsed = options.roadway !== undefined ? parseRoadway(options.roadway) : undefined;
    const heading = options.headingDegrees ?? parsed?.heading;
    const surfaceWithin = options.surfaceWithinMetres ?? SURFACE_SNAP_METRES;
    const reach = parsed !== undefined ? Math.max(ROADWAY_SNAP_METRES, surfaceWithin) : surfaceWithin;
    let found = this.candidates(lat, lon, reach);
    if (found.length === 0) found = this.nearestAnywhere(lat, lon);
    const wayOf = (e: number): RoadWay | undefined => this.graph.ways[this.graph.edgeWay[e]];
    const prefer = (pool: Candidate[], keep: (c: Candidate) => boolean): Candidate[] => {
      const kept = pool.filter(keep);
      return kept.length > 0 ? kept : pool;
    };
    const named = parsed === undefined ? [] : found.filter((c) => wayMatches(wayOf(c.edge), parsed.key));
    // No road of that name in reach: the point is taken as an address.
    let pool = named.length > 0 ? named : prefer(found, (c) => c.distance <= surfaceWithin && isSurfaceWay(wayOf(c.edge)));
    if (heading !== undefined) pool = prefer(pool, (c) => bearingGap(this.bearing(c.edge), heading) <= HEADING_TOLERANCE_DEGREES);
    let best = pool[0];
    for (const c of pool) if (c.distance < best.distance || (c.distance === best.distance && c.edge < best.edge)) best = c;
    const access = this.accessOn(best, lat, lon, heading);
    return parsed === undefined ? access : { ...access, roadwayMatched: named.length > 0 };
  }

  /**
   * The nearest named road to a WGS84 point (degrees), within `withinMetres` (planar distance to the
   * edge, metres): a named surface street within {@link SURFACE_SNAP_METRES} wins over a nearer named
   * tunnel, bridge deck or motorway, as an address would snap. Used to name a point that has no
   * typed address (reverse geocoding to the street, not to a house number).
   * @returns the OSM `name` and the distance in metres, or null when no named road is in reach
   */
  nearestNamed(lat: number, lon: number, withinMetres: number): { name: string; distanceMetres: number; surface: boolean } | null {
    const wayOf = (e: number): RoadWay | undefined => this.graph.ways[this.graph.edgeWay[e]];
    const named = this.candidates(lat, lon, withinMetres).filter((c) => wayOf(c.edge)?.name !== undefined);
    if (named.length === 0) return null;
    const surface = named.filter((c) => c.distance <= SURFACE_SNAP_METRES && isSurfaceWay(wayOf(c.edge)));
    const pool = surface.length > 0 ? surface : named;
    let best = pool[0];
    for (const c of pool) if (c.distance < best.distance || (c.distance === best.distance && c.edge < best.edge)) best = c;
    const w = wayOf(best.edge)!;
    return { name: w.name!, distanceMetres: best.distance, surface: isSurfaceWay(w) };
  }

  /** Initial bearing of a forward edge, degrees clockwise from north in [0, 360) (planar, local). */
  bearing(e: number): number {
    const { lat, lon } = this.graph;
    const u = this.tail[e];
    const v = this.graph.forward.head[e];
    return planarBearing(lat[u], lon[u], lat[v], lon[v]);
  }

  /** Nearest point of each directed edge within `radius` metres of the point (every edge within it is found). */
  private candidates(lat: number, lon: number, radius: number): Candidate[] {
    const samples = geokdbush.around(this.index, lon, lat, Infinity, (radius + SAMPLE_SPACING_METRES) / 1000);
    const edges = new Set<number>();
    for (const s of samples) edges.add(this.sampleEdge[s - 1]);
    const out: Candidate[] = [];
    for (const e of edges) {
      const c = this.nearestOnEdge(e, lat, lon);
      if (c.distance <= radius) out.push(c);
    }
    return out;
  }

  /** Edges within one sample spacing of the distance to the nearest sample (no cut-off: far points). */
  private nearestAnywhere(lat: number, lon: number): Candidate[] {
    const [nearest] = geokdbush.around(this.index, lon, lat, 1);
    const d = this.nearestOnEdge(this.sampleEdge[nearest - 1], lat, lon).distance;
    return this.candidates(lat, lon, d + SAMPLE_SPACING_METRES);
  }

  private project(lat0: number, lon0: number, lat: number, lon: number): { x: number; y: number } {
    return { x: (lon - lon0) * Math.cos((lat0 * Math.PI) / 180) * METRES_PER_DEGREE, y: (lat - lat0) * METRES_PER_DEGREE };
  }

  /** Nearest point of forward edge `e` to the point: fraction from its tail and distance (m). */
  private nearestOnEdge(e: number, lat: number, lon: number): Candidate {
    const g = this.graph;
    const u = this.tail[e];
    const v = g.forward.head[e];
    const a = this.project(lat, lon, g.lat[u], g.lon[u]);
    const b = this.project(lat, lon, g.lat[v], g.lon[v]);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(a.x * dx + a.y * dy) / len2));
    return { edge: e, fraction: t, distance: Math.hypot(a.x + t * dx, a.y + t * dy) };
  }

  /** The access point on the chosen edge, with a leg per drivable direction of its segment. */
  private accessOn(best: Candidate, lat: number, lon: number, heading: number | undefined): AccessPoint {
    const g = this.graph;
    const { firstOut, head, seconds, metres } = g.forward;
    const u = this.tail[best.edge];
    const v = head[best.edge];
    const pLat = g.lat[u] + (g.lat[v] - g.lat[u]) * best.fraction;
    const pLon = g.lon[u] + (g.lon[v] - g.lon[u]) * best.fraction;
    const way = g.edgeWay[best.edge];
    const legs: AccessLeg[] = [];
    const add = (e: number, fraction: number): void => {
      legs.push({ node: this.tail[e], edge: e, fraction, seconds: seconds[e] * fraction, metres: metres[e] * fraction });
    };
    add(best.edge, best.fraction);
    // The opposite direction of the same segment (same way, same length), unless a heading excludes it.
    for (let e = firstOut[v]; e < firstOut[v + 1]; e++) {
      if (head[e] !== u || g.edgeWay[e] !== way || metres[e] !== metres[best.edge]) continue;
      if (heading !== undefined && bearingGap(this.bearing(e), heading) > HEADING_TOLERANCE_DEGREES) continue;
      add(e, 1 - best.fraction);
      break;
    }
    const w = g.ways[way];
    const road: AccessRoad | null = w === undefined ? null : {
      osmId: w.osmId, highway: w.highway, surface: isSurfaceWay(w),
      ...(w.name !== undefined ? { name: w.name } : {}), ...(w.ref !== undefined ? { ref: w.ref } : {}),
    };
    return { lat: pLat, lon: pLon, distanceMetres: haversineMetres(lat, lon, pLat, pLon), legs, road };
  }
}
