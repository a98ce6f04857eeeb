import { METRES_PER_DEGREE_LAT } from '@cad/domain';
import type { ClosureGeometry } from '@cad/routing';
import type { RoadClosureRow } from '@cad/db';

/**
 * A line drawn by hand rarely starts and ends exactly on the intersections: when it closes nothing as
 * drawn, its two end segments are lengthened by this much, so the blocks where it starts and ends are
 * closed (whole blocks only: an edge is closed when both its ends lie along the line).
 */
export const LINE_END_EXTENSION_METRES = 30;

/**
 * Lengthens each line of a LineString or MultiLineString by `metres` at both ends, along its end
 * segments (equirectangular, fine at street scale); areas are returned unchanged.
 */
export function extendLineEnds(g: ClosureGeometry, metres: number): ClosureGeometry {
  const extend = (line: number[][]): number[][] => {
    if (line.length < 2) return line;
    const push = (from: number[], to: number[]): number[] => {
      const k = Math.cos((to[1] * Math.PI) / 180);
      const dx = (to[0] - from[0]) * k;
      const dy = to[1] - from[1];
      const len = Math.hypot(dx, dy) * METRES_PER_DEGREE_LAT;
      if (len === 0) return to;
      const f = metres / len;
      return [to[0] + (to[0] - from[0]) * f, to[1] + (to[1] - from[1]) * f];
    };
    return [push(line[1], line[0]), ...line.slice(1, -1), push(line[line.length - 2], line[line.length - 1])];
  };
  if (g.type === 'LineString') return { ...g, coordinates: extend(g.coordinates) };
  if (g.type === 'MultiLineString') return { ...g, coordinates: g.coordinates.map(extend) };
  return g;
}

/** First `[lon, lat]` of a closure geometry. */
export function firstPoint(g: RoadClosureRow['geometry']): number[] {
  switch (g.type) {
    case 'LineString':
      return g.coordinates[0];
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates[0][0];
    case 'MultiPolygon':
      return g.coordinates[0][0][0];
    default:
      throw new RangeError(`unsupported closure geometry ${(g as { type: string }).type}`);
  }
}
