import { booleanPointInPolygon, bbox as turfBbox, point, pointToPolygonDistance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { degreesAround, METRES_PER_DEGREE_LAT, metresPerDegreeLon } from './degrees';

export type JurisdictionLevel = 'city' | 'district' | 'street';

/** A jurisdiction as the index needs it: WGS84 boundary, GeoJSON `[lon, lat]`. */
export interface JurisdictionShape {
  id: string;
  name: string;
  level: JurisdictionLevel;
  parentId: string | null;
  boundary: Polygon | MultiPolygon;
}

/** Where a point sits in the command chain. */
export interface Placement {
  cityId: string;
  districtId: string | null;
  streetId: string | null;
  /** True when the point is inside no street and was given to the nearest one. */
  outsideBoundary: boolean;
  /** Distance from the point to the chosen street's boundary in metres (0 when inside). */
  distanceMetres: number;
  /**
   * True when the point lies within the boundary tolerance of a line between streets (or of the city's
   * edge): its placement rests on the tie-break, not on the line as drawn (issue 20).
   */
  nearBoundary: boolean;
  /** Other streets within the tolerance of the point, sorted by id (empty when none). */
  neighbourStreetIds: string[];
}

/** Default boundary tolerance, metres: the published lines disagree with the data's own placement up to ~6 m (issue 20). */
export const DEFAULT_BOUNDARY_TOLERANCE_M = 10;

/**
 * Point-in-polygon index over the streets of one city, resolving a point to its street, district and
 * city. Tie-break at boundaries (`toleranceM`, default {@link DEFAULT_BOUNDARY_TOLERANCE_M}):
 *
 * 1. A point inside a street's polygon belongs to it, also within `toleranceM` of a line (the line as
 *    published wins; lines drawn at different precision disagree both ways, so no side is more
 *    likely). Such a point is flagged `nearBoundary`, naming the other streets within the tolerance.
 *    A point inside two street polygons (on a shared line) goes to the street whose id sorts first.
 * 2. A point inside a district but in no street (a neighborhood piece dropped as a sliver, or a gap
 *    between lines) stays in that district: the district wins, and the nearest street of that
 *    district takes it.
 * 3. A point in no district goes to the nearest street (geodesic distance to its boundary, turf
 *    `pointToPolygonDistance`); it is flagged `outsideBoundary` only when farther than `toleranceM`
 *    (a point a few metres off the city's edge is line precision, flagged `nearBoundary` instead).
 */
export class JurisdictionIndex {
  /** Each street with its bounding box and the bow of its longest edge (see {@link edgeBowMetres}). */
  private readonly streets: { shape: JurisdictionShape; box: number[]; bowM: number }[];
  private readonly districts: { shape: JurisdictionShape; box: number[] }[];
  private readonly byId = new Map<string, JurisdictionShape>();
  /** Id of the city (the root of the chain). */
  readonly cityId: string;

  /**
   * @param toleranceM boundary tolerance, metres (≥ 0)
   * @throws Error when there is no city or no street among the shapes, or the tolerance is negative
   */
  constructor(
    shapes: JurisdictionShape[],
    private readonly toleranceM: number = DEFAULT_BOUNDARY_TOLERANCE_M,
  ) {
    if (!(toleranceM >= 0)) throw new Error(`jurisdiction index: boundary tolerance ${toleranceM} m must be ≥ 0`);
    for (const s of shapes) this.byId.set(s.id, s);
    const city = shapes.find((s) => s.level === 'city');
    if (!city) throw new Error('jurisdiction index: no city');
    this.cityId = city.id;
    this.streets = shapes
      .filter((s) => s.level === 'street')
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((shape) => ({ shape, box: turfBbox(shape.boundary), bowM: edgeBowMetres(shape.boundary) }));
    if (this.streets.length === 0) throw new Error('jurisdiction index: no street');
    this.districts = shapes
      .filter((s) => s.level === 'district')
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((shape) => ({ shape, box: turfBbox(shape.boundary) }));
  }

  /** The jurisdiction with this id, if any. */
  get(id: string): JurisdictionShape | undefined {
    return this.byId.get(id);
  }

  /** Ids of a jurisdiction and all its ancestors, nearest first (`[street, district, city]`). */
  chain(id: string | null): string[] {
    const out: string[] = [];
    let cur = id ? this.byId.get(id) : undefined;
    while (cur) {
      out.push(cur.id);
      cur = cur.parentId ? this.byId.get(cur.parentId) : undefined;
    }
    if (!out.includes(this.cityId)) out.push(this.cityId);
    return out;
  }

  /**
   * Places a point in the command chain.
   * @param lat latitude, WGS84 degrees
   * @param lon longitude, WGS84 degrees
   */
  locate(lat: number, lon: number): Placement {
    const pt = point([lon, lat]);
    for (const { shape, box, bowM } of this.streets) {
      if (lon < box[0] || lat < box[1] || lon > box[2] || lat > box[3]) continue;
      if (booleanPointInPolygon(pt, shape.boundary)) {
        const nearLine = this.toleranceM > 0 && this.edgeWithin(pt, lat, lon, shape.boundary, bowM, this.toleranceM);
        return this.placement(shape, false, 0, nearLine ? this.neighbours(pt, lat, lon, shape.id) : null);
      }
    }
    // In a gap between street pieces but inside a district (the neighborhood and district lines were
    // drawn at different precision): the nearest street of that district owns it, not flagged.
    const district = this.districts.find(
      ({ shape, box }) => lon >= box[0] && lat >= box[1] && lon <= box[2] && lat <= box[3] && booleanPointInPolygon(pt, shape.boundary),
    );
    const candidates = district ? this.streets.filter((s) => s.shape.parentId === district.shape.id) : [];
    let best = this.streets[0].shape;
    let bestD = Infinity;
    // The geodesic distance (turf) only to the streets a quick planar one cannot rule out (see roughEdgeMetres):
    // the same nearest street, ties to the first in id order as before, at a fraction of the cost (issue 19's profile).
    const pool = candidates.length ? candidates : this.streets;
    const rough = pool.map(({ shape }) => roughEdgeMetres(lat, lon, shape.boundary));
    const bound = Math.min(...rough.map((r, k) => exactAtMost(r, pool[k].bowM)));
    pool.forEach(({ shape, bowM }, k) => {
      if (exactAtLeast(rough[k], bowM) > bound) return;
      const d = Math.abs(pointToPolygonDistance(pt, shape.boundary, { units: 'meters' }));
      if (d < bestD) {
        bestD = d;
        best = shape;
      }
    });
    const outside = candidates.length === 0 && bestD > this.toleranceM;
    const near = candidates.length === 0 && !outside ? this.neighbours(pt, lat, lon, best.id) : bestD <= this.toleranceM ? this.neighbours(pt, lat, lon, best.id) : null;
    return this.placement(best, outside, bestD, near);
  }

  /** Streets other than `except` within the tolerance of the point, sorted by id. */
  private neighbours(pt: ReturnType<typeof point>, lat: number, lon: number, except: string): string[] {
    const { dLat, dLon } = degreesAround(this.toleranceM, lat);
    return this.streets
      .filter(({ shape, box }) => shape.id !== except && lon >= box[0] - dLon && lat >= box[1] - dLat && lon <= box[2] + dLon && lat <= box[3] + dLat)
      .filter(({ shape, bowM }) => this.edgeWithin(pt, lat, lon, shape.boundary, bowM, this.toleranceM) || booleanPointInPolygon(pt, shape.boundary))
      .map(({ shape }) => shape.id);
  }

  /**
   * Whether the geodesic distance from the point to the boundary's nearest edge (turf
   * `pointToPolygonDistance`) is at most `limitM` metres. The planar estimate answers alone when its
   * bounds (within {@link ROUGH_RELATIVE} of the geodesic distance plus {@link ROUGH_ABSOLUTE_M}, plus
   * `bowM`, how far the great-circle arc of the boundary's longest edge strays from the straight line the
   * estimate measures to) decide it either way; turf measures only in the band between (about 7.8 to
   * 12.4 m for 10 m on San Francisco's short edges), so the answer is turf's. Calls on a street that is a
   * neighborhood's line (most are) no longer pay turf's allocation per vertex (issue 19's profile of the
   * accept path: a tenth of a call's CPU).
   */
  private edgeWithin(pt: ReturnType<typeof point>, lat: number, lon: number, boundary: Polygon | MultiPolygon, bowM: number, limitM: number): boolean {
    const rough = roughEdgeMetres(lat, lon, boundary);
    if (exactAtLeast(rough, bowM) > limitM) return false;
    if (exactAtMost(rough, bowM) <= limitM) return true;
    return Math.abs(pointToPolygonDistance(pt, boundary, { units: 'meters' })) <= limitM;
  }

  private placement(street: JurisdictionShape, outside: boolean, distanceMetres: number, near: string[] | null = null): Placement {
    return {
      cityId: this.cityId,
      districtId: street.parentId,
      streetId: street.id,
      outsideBoundary: outside,
      distanceMetres,
      nearBoundary: near !== null,
      neighbourStreetIds: near ?? [],
    };
  }
}

/**
 * Bounds on how far {@link roughEdgeMetres} may stray from turf's geodesic distance at city scale: the
 * flat projection and the 111 320 m degree (0.3 % long at San Francisco, 0.7 % at most) stay well inside
 * 3 %, and 2 m covers what rounding is left (the spec `call-off-the-city-edge…` checks it on the real
 * polygons). Only used where the bound decides a comparison either way: never to place a point by itself.
 */
const ROUGH_RELATIVE = 0.03;
const ROUGH_ABSOLUTE_M = 2;

/**
 * The least and the most the geodesic distance can be, metres, given {@link roughEdgeMetres}'s `rough`
 * for a shape whose longest edge bows `bowM` (see {@link edgeBowMetres}): from
 * |rough − exact| ≤ R·exact + A + bow (R = {@link ROUGH_RELATIVE}, A = {@link ROUGH_ABSOLUTE_M}),
 * exact ≥ (rough − A − bow) / (1 + R) and exact ≤ (rough + A + bow) / (1 − R). The one place the
 * index turns the planar estimate into a decision.
 */
const exactAtLeast = (rough: number, bowM: number): number => (rough - ROUGH_ABSOLUTE_M - bowM) / (1 + ROUGH_RELATIVE);
const exactAtMost = (rough: number, bowM: number): number => (rough + ROUGH_ABSOLUTE_M + bowM) / (1 - ROUGH_RELATIVE);

/** Mean earth radius, metres (turf's `earthRadius`, the IUGG mean radius 6 371 008.8 m). */
const EARTH_RADIUS_M = 6371008.8;

/**
 * An upper bound, metres, on how far the great-circle arc between two consecutive vertices of the
 * boundary strays from the straight line between them in longitude and latitude, over its longest edge:
 * an east-west edge of length L at latitude φ bows poleward by about L²·tan φ / (8R) (R the earth's mean
 * radius), the most any direction does; doubled for margin. 7 cm on San Francisco's longest edge (2.2 km),
 * 7.8 m on a 20 km edge at 45° N (the hostile review's case): {@link roughEdgeMetres} measures to the
 * straight line, turf to the arc, so the index widens its planar bounds by this much for that shape.
 * @param boundary GeoJSON polygon or multipolygon, `[lon, lat]` WGS84 degrees
 */
export function edgeBowMetres(boundary: Polygon | MultiPolygon): number {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let worst = 0;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const midLat = (ring[i - 1][1] + ring[i][1]) / 2;
        const dx = (ring[i][0] - ring[i - 1][0]) * metresPerDegreeLon(midLat);
        const dy = (ring[i][1] - ring[i - 1][1]) * METRES_PER_DEGREE_LAT;
        const bow = ((dx * dx + dy * dy) * Math.abs(Math.tan((Math.min(Math.abs(midLat), 89) * Math.PI) / 180))) / (8 * EARTH_RADIUS_M);
        if (bow > worst) worst = bow;
      }
    }
  }
  return 2 * worst;
}

/**
 * A quick distance from a point to the nearest edge of a polygon's rings, metres, on a flat projection
 * around the point (x = Δlon × 111 320 × cos lat, y = Δlat × 111 320; see `METRES_PER_DEGREE_LAT`).
 * Within {@link ROUGH_RELATIVE} and {@link ROUGH_ABSOLUTE_M} of the geodesic distance for the
 * few kilometres of a city, and about a hundred times cheaper than turf's, which allocates a point per
 * vertex (issue 19's profile: a call a few hundred metres off the city's edge cost 20 ms of the API's
 * event loop, measured against every street).
 * @param lat WGS84 degrees
 * @param lon WGS84 degrees
 * @param boundary GeoJSON polygon or multipolygon, `[lon, lat]`
 * @returns metres (0 only on an edge; inside or outside alike, like `pointToPolygonDistance`'s magnitude)
 */
export function roughEdgeMetres(lat: number, lon: number, boundary: Polygon | MultiPolygon): number {
  const ky = METRES_PER_DEGREE_LAT;
  const kx = metresPerDegreeLon(lat);
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let best = Infinity;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1][0] - lon) * kx;
        const ay = (ring[i - 1][1] - lat) * ky;
        const bx = (ring[i][0] - lon) * kx;
        const by = (ring[i][1] - lat) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
        const x = ax + t * dx;
        const y = ay + t * dy;
        const d2 = x * x + y * y;
        if (d2 < best) best = d2;
      }
    }
  }
  return Math.sqrt(best);
}
