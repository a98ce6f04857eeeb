/**
 * Mean Earth radius in metres: the IUGG mean radius R1 = (2a + b) / 3 of the WGS84 ellipsoid,
 * 6,371,008.8 m (Moritz, "Geodetic Reference System 1980", J. Geodesy 74, 2000; the same figure
 * is used by Turf.js `earthRadius`).
 */
export const EARTH_RADIUS_METRES = 6_371_008.8;

const DEG_TO_RAD = Math.PI / 180;

/**
 * Great-circle distance between two WGS84 points, in metres, by the haversine formula
 * (R. W. Sinnott, "Virtues of the Haversine", Sky & Telescope 68(2), 1984) on a sphere of
 * radius {@link EARTH_RADIUS_METRES}. Inputs are decimal degrees; no validation is done
 * (callers validate). Spherical error versus the ellipsoid is below 0.5 %.
 */
export function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * DEG_TO_RAD;
  const dLon = (lon2 - lon1) * DEG_TO_RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * DEG_TO_RAD) * Math.cos(lat2 * DEG_TO_RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(a)));
}
