import { booleanPointInPolygon, bbox as turfBbox, point, pointToPolygonDistance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

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
}

/**
 * Point-in-polygon index over the streets of one city, resolving a point to its street, district and
 * city. A point on a boundary shared by two streets goes to the street whose id sorts first, so the
 * owner is deterministic. A point in a gap between streets but inside a district goes to the nearest
 * street of that district. A point in no district goes to the nearest street (geodesic distance to its
 * boundary, turf `pointToPolygonDistance`) and is flagged `outsideBoundary`.
 */
export class JurisdictionIndex {
  private readonly streets: { shape: JurisdictionShape; box: number[] }[];
  private readonly districts: { shape: JurisdictionShape; box: number[] }[];
  private readonly byId = new Map<string, JurisdictionShape>();
  /** Id of the city (the root of the chain). */
  readonly cityId: string;

  /** @throws Error when there is no city or no street among the shapes */
  constructor(shapes: JurisdictionShape[]) {
    for (const s of shapes) this.byId.set(s.id, s);
    const city = shapes.find((s) => s.level === 'city');
    if (!city) throw new Error('jurisdiction index: no city');
    this.cityId = city.id;
    this.streets = shapes
      .filter((s) => s.level === 'street')
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((shape) => ({ shape, box: turfBbox(shape.boundary) }));
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
    for (const { shape, box } of this.streets) {
      if (lon < box[0] || lat < box[1] || lon > box[2] || lat > box[3]) continue;
      if (booleanPointInPolygon(pt, shape.boundary)) return this.placement(shape, false, 0);
    }
    // In a gap between street pieces but inside a district (the neighborhood and district lines were
    // drawn at different precision): the nearest street of that district owns it, not flagged.
    const district = this.districts.find(
      ({ shape, box }) => lon >= box[0] && lat >= box[1] && lon <= box[2] && lat <= box[3] && booleanPointInPolygon(pt, shape.boundary),
    );
    const candidates = district ? this.streets.filter((s) => s.shape.parentId === district.shape.id) : [];
    let best = this.streets[0].shape;
    let bestD = Infinity;
    for (const { shape } of candidates.length ? candidates : this.streets) {
      const d = Math.abs(pointToPolygonDistance(pt, shape.boundary, { units: 'meters' }));
      if (d < bestD) {
        bestD = d;
        best = shape;
      }
    }
    return this.placement(best, candidates.length === 0, bestD);
  }

  private placement(street: JurisdictionShape, outside: boolean, distanceMetres: number): Placement {
    return {
      cityId: this.cityId,
      districtId: street.parentId,
      streetId: street.id,
      outsideBoundary: outside,
      distanceMetres,
    };
  }
}
