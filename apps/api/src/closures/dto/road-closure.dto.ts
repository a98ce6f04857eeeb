import { IsISO8601, IsOptional, IsString, Length, registerDecorator, ValidationOptions } from 'class-validator';
import type { ClosureGeometry } from '@cad/routing';
import { kinks } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { noControl, notBlank } from '../../common/validation';

const MAX_POSITIONS = 5000;

/** True for a `[lon, lat]` position in WGS84 degree ranges. */
function isPosition(p: unknown): boolean {
  return Array.isArray(p) && p.length >= 2 && p.length <= 3 && p.every((x) => typeof x === 'number' && Number.isFinite(x)) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
}

/**
 * Why a value is not a closure geometry (RFC 7946 LineString, MultiLineString, Polygon or
 * MultiPolygon with `[lon, lat]` positions in range, at most 5,000 positions), or null when it is.
 */
export function closureGeometryProblem(g: unknown): string | null {
  if (typeof g !== 'object' || g === null) return 'geometry must be a GeoJSON object';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const line = (c: unknown) => Array.isArray(c) && c.length >= 2 && c.every(isPosition);
  const ring = (c: unknown) => line(c) && (c as unknown[]).length >= 4;
  const count = JSON.stringify(coordinates ?? []).split('],[').length;
  if (count > MAX_POSITIONS) return `geometry has more than ${MAX_POSITIONS} positions`;
  switch (type) {
    case 'LineString':
      return line(coordinates) ? null : 'geometry.coordinates must be at least two [lon, lat] positions in WGS84 degrees';
    case 'MultiLineString':
      return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every(line) ? null : 'geometry.coordinates must be lines of [lon, lat] positions';
    case 'Polygon':
      return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every(ring) ? selfIntersection(g as Polygon) : 'geometry.coordinates must be rings of at least four [lon, lat] positions';
    case 'MultiPolygon':
      return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every((p) => Array.isArray(p) && p.length > 0 && p.every(ring))
        ? selfIntersection(g as MultiPolygon)
        : 'geometry.coordinates must be polygons of rings of [lon, lat] positions';
    default:
      return 'geometry.type must be LineString, MultiLineString, Polygon or MultiPolygon';
  }
}

/**
 * Why an area is not a simple polygon: a ring that crosses itself (`@turf/kinks`: the points where
 * its edges cross), which has no inside to close; null when none does.
 */
function selfIntersection(g: Polygon | MultiPolygon): string | null {
  const found = kinks(g).features;
  if (!found.length) return null;
  const [lon, lat] = found[0].geometry.coordinates;
  return `geometry is a self-intersecting polygon (its boundary crosses itself at ${lat.toFixed(5)}, ${lon.toFixed(5)}): draw the area's outline without crossings`;
}

/** class-validator decorator for {@link closureGeometryProblem}; the message names what is wrong. */
function IsClosureGeometry(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isClosureGeometry',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (v: unknown) => closureGeometryProblem(v) === null,
        defaultMessage: (args) => closureGeometryProblem(args?.value) ?? 'geometry is invalid',
      },
    });
}

/** `POST /api/road-closures`: a closed road (LineString) or a closed area (Polygon). */
export class CreateRoadClosureDto {
  @IsClosureGeometry() geometry: ClosureGeometry;
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
  /** When the closure lifts by itself (ISO-8601); omitted: until removed. */
  @IsOptional() @IsISO8601({ strict: true }) endsAt?: string;
}
