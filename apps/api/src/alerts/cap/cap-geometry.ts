import * as turf from '@turf/turf';
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { CapArea } from './cap-message';
import { WEA_MAX_VERTICES } from './cap-rules';

/** A GeoJSON ring (`[lon, lat]`) as a CAP ring (`[lat, lon]`), rounded to 6 decimals (about 0.1 m). */
const toCapRing = (ring: Position[]): [number, number][] => ring.map(([lon, lat]) => [Number(lat.toFixed(6)), Number(lon.toFixed(6))]);

/**
 * The outer rings of a boundary as CAP polygons (`[lat, lon]`, closed), simplified so that all of them
 * together have at most `maxVertices` points: Wireless Emergency Alerts take at most 100 vertices
 * (47 CFR §10.450; ATIS-0700037), and a city district's boundary has hundreds. Douglas-Peucker
 * (`turf.simplify`, high quality) with a tolerance doubled from 0.00001° (about 1 m) until it fits;
 * islands too small to keep 4 points are dropped, holes are dropped (CAP polygons have none: the area
 * warned is at most slightly larger than the boundary).
 * @param boundary WGS84 GeoJSON Polygon or MultiPolygon
 * @throws Error when the boundary is not a polygon
 */
export function boundaryToCapPolygons(boundary: Geometry, maxVertices = WEA_MAX_VERTICES): [number, number][][] {
  if (boundary.type !== 'Polygon' && boundary.type !== 'MultiPolygon') throw new Error(`a boundary must be a Polygon or MultiPolygon, not ${boundary.type}`);
  const outer = (g: Polygon | MultiPolygon): Position[][] => (g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]));
  const count = (rings: Position[][]) => rings.reduce((n, r) => n + r.length, 0);
  let rings = outer(boundary);
  for (let tolerance = 0.00001; count(rings) > maxVertices && tolerance < 1; tolerance *= 2) {
    const simple = turf.simplify(turf.multiPolygon(rings.map((r) => [r])), { tolerance, highQuality: true });
    rings = simple.geometry.coordinates.map((p) => p[0]).filter((r) => r.length >= 4);
    // Keep the largest pieces first when small islands alone exceed the budget.
    if (count(rings) > maxVertices) rings.sort((a, b) => turf.area(turf.polygon([b])) - turf.area(turf.polygon([a])));
    while (rings.length > 1 && count(rings) > maxVertices && rings[rings.length - 1].length <= 5) rings.pop();
  }
  return rings.map(toCapRing);
}

/**
 * The union of CAP areas as one GeoJSON geometry for maps (`[lon, lat]`): polygons as they are, circles
 * as 64-sided polygons (`turf.circle`), a zero-radius circle as its point. Null when the areas have
 * geocodes only (nothing to draw).
 */
export function capAreasToGeometry(areas: CapArea[]): Geometry | null {
  const parts: Geometry[] = [];
  for (const a of areas) {
    for (const ring of a.polygons) if (ring.length >= 4) parts.push({ type: 'Polygon', coordinates: [ring.map(([lat, lon]) => [lon, lat])] });
    for (const c of a.circles) {
      parts.push(c.radiusKm > 0 ? turf.circle([c.lon, c.lat], c.radiusKm, { steps: 64, units: 'kilometers' }).geometry : { type: 'Point', coordinates: [c.lon, c.lat] });
    }
  }
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { type: 'GeometryCollection', geometries: parts };
}

/**
 * A point of `area` inside `boundary` (both WGS84 GeoJSON), or null when they do not overlap: where an
 * incident opened by a received alert is placed. Tries the area's centroid, then each vertex of the area
 * inside the boundary, then the boundary's own point-on-surface when the area holds it whole.
 */
export function pointOfAreaWithin(area: Geometry, boundary: Polygon | MultiPolygon): { lat: number; lon: number } | null {
  const polys: Feature<Polygon>[] = [];
  const walk = (g: Geometry) => {
    if (g.type === 'Polygon') polys.push(turf.polygon(g.coordinates));
    else if (g.type === 'MultiPolygon') g.coordinates.forEach((c) => polys.push(turf.polygon(c)));
    else if (g.type === 'GeometryCollection') g.geometries.forEach(walk);
    else if (g.type === 'Point') polys.push(turf.circle(g.coordinates, 0.01, { units: 'kilometers', steps: 8 }));
  };
  walk(area);
  const inside = (p: Position) => turf.booleanPointInPolygon(p, boundary);
  for (const p of polys) {
    const c = turf.centroid(p).geometry.coordinates;
    if (inside(c) && turf.booleanPointInPolygon(c, p)) return { lon: c[0], lat: c[1] };
    const v = p.geometry.coordinates[0].find(inside);
    if (v) return { lon: v[0], lat: v[1] };
    const s = turf.pointOnFeature(turf.feature(boundary)).geometry.coordinates;
    if (turf.booleanPointInPolygon(s, p)) return { lon: s[0], lat: s[1] };
  }
  return null;
}
