/**
 * Places a network drawn in its own plane (EPANET `[COORDINATES]`) in the city: an explicit
 * georeference of origin, rotation and scale.
 */

/** Mean Earth radius, metres (IUGG R1), as used by the routing library's haversine. */
const EARTH_RADIUS_M = 6371008.8;

/** How a network's plane is placed: plane point (x0, y0) lands on (lat, lon). */
export interface Georeference {
  /** The plane point that is placed on `origin` (network units). */
  planeOrigin: [number, number];
  /** WGS84 degrees of that point. */
  origin: { lat: number; lon: number };
  /** Counter-clockwise rotation of the plane's x axis from east, degrees. */
  rotationDeg: number;
  /** Metres per plane unit. */
  metresPerUnit: number;
}

/**
 * Plane point → WGS84, by a local tangent-plane (equirectangular) approximation about the origin,
 * accurate to well under a metre over a few kilometres.
 * @returns `{lat, lon}` in degrees
 */
export function planeToWgs84(g: Georeference, x: number, y: number): { lat: number; lon: number } {
  const dx = (x - g.planeOrigin[0]) * g.metresPerUnit;
  const dy = (y - g.planeOrigin[1]) * g.metresPerUnit;
  const a = (g.rotationDeg * Math.PI) / 180;
  const east = dx * Math.cos(a) - dy * Math.sin(a);
  const north = dx * Math.sin(a) + dy * Math.cos(a);
  const lat = g.origin.lat + (north / EARTH_RADIUS_M) * (180 / Math.PI);
  const lon = g.origin.lon + (east / (EARTH_RADIUS_M * Math.cos((g.origin.lat * Math.PI) / 180))) * (180 / Math.PI);
  return { lat, lon };
}

/**
 * The scale that makes the drawn network as long as its pipes say: Σ pipe length (metres) divided by
 * Σ straight drawn length of the same pipes (plane units). Pipes whose ends have no coordinates are skipped.
 * @param pipes `[from, to, lengthMetres]`
 * @param coords plane coordinates by node id
 * @throws RangeError when no pipe has both ends drawn
 */
export function scaleFromPipeLengths(pipes: [string, string, number][], coords: Map<string, [number, number]>): number {
  let metres = 0;
  let units = 0;
  for (const [a, b, len] of pipes) {
    const p = coords.get(a);
    const q = coords.get(b);
    if (!p || !q) continue;
    metres += len;
    units += Math.hypot(q[0] - p[0], q[1] - p[1]);
  }
  if (units <= 0) throw new RangeError('no pipe has both ends drawn: cannot scale the network');
  return metres / units;
}
