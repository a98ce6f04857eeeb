/**
 * Metres per degree: the one home of the `111 320` used to turn a radius in metres into a box in WGS84
 * degrees (duplicate windows, boundary tolerances, lock cells, closure bounding boxes) and back.
 */

/**
 * Metres in one degree of latitude, as used for street-scale boxes and offsets: 111 320 m, the length of
 * one degree of arc on the WGS84 equator (2π × 6 378 137 m / 360 = 111 319.5 m, rounded). A true degree
 * of latitude is 110 574 m at the equator to 111 694 m at the poles (about 111 000 m at San Francisco),
 * so this overstates it by under 0.7 %: fine for pre-filter boxes and offsets of a few hundred metres,
 * not for distances (use `haversineMetres` of `@cad/routing` for those).
 */
export const METRES_PER_DEGREE_LAT = 111_320;

/**
 * Metres in one degree of longitude at a latitude: {@link METRES_PER_DEGREE_LAT} × cos(latitude).
 * @param lat WGS84 degrees
 * @returns metres per degree of longitude (0 at the poles)
 */
export function metresPerDegreeLon(lat: number): number {
  return METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180);
}

/**
 * Half-sizes, in WGS84 degrees, of the box that holds every point within `metres` of a point at
 * latitude `lat`: `dLat = metres / 111 320`, `dLon = dLat / cos(lat)` with the cosine floored at 0.01,
 * so the box stays finite near the poles (there it is simply wider than needed).
 * @param metres radius, metres (>= 0)
 * @param lat WGS84 degrees
 * @returns `{ dLat, dLon }`, degrees
 */
export function degreesAround(metres: number, lat: number): { dLat: number; dLon: number } {
  const dLat = metres / METRES_PER_DEGREE_LAT;
  return { dLat, dLon: dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180)) };
}
