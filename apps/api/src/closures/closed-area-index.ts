import { bbox, booleanPointInPolygon, point } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

/** A closed area: a closure's id and its Polygon or MultiPolygon (WGS84, `[lon, lat]`). */
export interface ClosedArea {
  id: string;
  geometry: Polygon | MultiPolygon;
}

/** Point-in-polygon test (turf's `booleanPointInPolygon` by default; boundary counts as inside). */
export type PointInArea = (lon: number, lat: number, area: Polygon | MultiPolygon) => boolean;

const turfContains: PointInArea = (lon, lat, area) => booleanPointInPolygon(point([lon, lat]), area);

/** `[minLon, minLat, maxLon, maxLat]`, degrees. */
type Box = [number, number, number, number];
const inBox = (b: Box, lon: number, lat: number) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];

/**
 * The closed areas of one closure set, indexed for "which areas hold this point": one bounding box
 * around all of them, then each area's own box, and the exact point-in-polygon test only for the
 * areas whose box holds the point. A position outside every closed area (most units, most of the
 * time) costs one box test; closure sets hold a handful of areas, so a flat list of boxes is as fast
 * as an R-tree here. Immutable: build one per closure set (ids applied), never patch it.
 */
export class ClosedAreaIndex {
  private readonly boxes: Box[];
  private readonly all: Box;

  /**
   * @param areas the closure set's areas (lines are not areas: leave them out)
   * @param contains the exact test, turf's `booleanPointInPolygon` unless a caller (a spec) counts calls
   */
  constructor(
    private readonly areas: readonly ClosedArea[],
    private readonly contains: PointInArea = turfContains,
  ) {
    this.boxes = areas.map((a) => bbox(a.geometry) as Box);
    this.all = this.boxes.reduce<Box>((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
  }

  /** Number of areas indexed. */
  get size(): number {
    return this.areas.length;
  }

  /**
   * Ids of the closed areas holding a point (on the boundary counts as inside), in the order given.
   * @param lat latitude, WGS84 degrees
   * @param lon longitude, WGS84 degrees
   * @returns the ids, empty when no area holds it
   */
  containing(lat: number, lon: number): string[] {
    if (!inBox(this.all, lon, lat)) return [];
    const ids: string[] = [];
    for (let k = 0; k < this.areas.length; k++) if (inBox(this.boxes[k], lon, lat) && this.contains(lon, lat, this.areas[k].geometry)) ids.push(this.areas[k].id);
    return ids;
  }
}
