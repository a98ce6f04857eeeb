import { bbox as turfBbox, booleanIntersects, booleanPointInPolygon, lineString, point, pointToLineDistance } from '@turf/turf';
import type { LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { METRES_PER_DEGREE_LAT } from '@cad/domain';
import type { RoadGraph } from './osm-graph';

/** Geometries accepted as a road closure. */
export type ClosureGeometry = LineString | MultiLineString | Polygon | MultiPolygon;

/** Options of {@link closureEdgeIds}. */
export interface ClosureGeometryOptions {
  /** For lines: how far (metres) an edge may lie from the closed line and still be selected. Default 10. */
  toleranceMetres?: number;
}

/**
 * Forward edge ids (`RoadGraph.forward` indices, ascending, both directions of a two-way street)
 * that a closure geometry closes:
 *
 * - **LineString / MultiLineString** (a closed road, drawn along it): an edge is selected when BOTH
 *   its end nodes and its midpoint lie within `toleranceMetres` (default 10 m) of the line
 *   (`@turf/turf` `pointToLineDistance`, geodesic). So the blocks the line runs along are closed,
 *   while cross streets that merely touch or cross the line (one end, or only their middle, near it)
 *   stay open. A line that follows a street only partly closes only the blocks it fully covers.
 * - **Polygon / MultiPolygon** (a flooded area, holes respected): an edge is selected when one of
 *   its end nodes is inside or on the boundary, or the segment crosses the boundary
 *   (`booleanPointInPolygon`, `booleanIntersects`).
 *
 * Candidates are pre-filtered by the geometry's bounding box (widened by the tolerance), so the cost
 * is one pass over the edges plus the Turf tests of the candidates.
 * @throws {RangeError} for another geometry type, empty coordinates, or a negative / non-finite tolerance.
 */
export function closureEdgeIds(graph: RoadGraph, geometry: ClosureGeometry, options: ClosureGeometryOptions = {}): number[] {
  const tol = options.toleranceMetres ?? 10;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) {
    throw new RangeError(`toleranceMetres must be a finite number >= 0, got ${String(tol)}`);
  }
  const type = (geometry as { type?: unknown } | null)?.type;
  if (type !== 'LineString' && type !== 'MultiLineString' && type !== 'Polygon' && type !== 'MultiPolygon') {
    throw new RangeError(`closure geometry must be a LineString, MultiLineString, Polygon or MultiPolygon, got ${String(type)}`);
  }
  const [minLon, minLat, maxLon, maxLat] = turfBbox(geometry);
  if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite)) throw new RangeError('closure geometry has no coordinates');
  const padLat = tol / METRES_PER_DEGREE_LAT;
  const padLon = tol / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)));
  const box = { minLon: minLon - padLon, maxLon: maxLon + padLon, minLat: minLat - padLat, maxLat: maxLat + padLat };

  const { lat, lon } = graph;
  const { firstOut, head } = graph.forward;
  const isLine = type === 'LineString' || type === 'MultiLineString';
  const lines: LineString[] = [];
  if (type === 'LineString') lines.push(geometry as LineString);
  if (type === 'MultiLineString') {
    for (const coordinates of (geometry as MultiLineString).coordinates) lines.push({ type: 'LineString', coordinates });
  }
  const nearLine = (p: Position): boolean =>
    lines.some((l) => pointToLineDistance(point(p), l, { units: 'meters' }) <= tol);
  const area = geometry as Polygon | MultiPolygon;

  const ids: number[] = [];
  const nodeNear = new Int8Array(graph.nodeCount); // 0 unknown, 1 yes, -1 no
  const inBox = (v: number): boolean => lat[v] >= box.minLat && lat[v] <= box.maxLat && lon[v] >= box.minLon && lon[v] <= box.maxLon;
  const near = (v: number): boolean => {
    if (nodeNear[v] === 0) {
      const p: Position = [lon[v], lat[v]];
      nodeNear[v] = (isLine ? nearLine(p) : booleanPointInPolygon(point(p), area)) ? 1 : -1;
    }
    return nodeNear[v] === 1;
  };
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let e = firstOut[u]; e < firstOut[u + 1]; e++) {
      const v = head[e];
      const a = inBox(u);
      const b = inBox(v);
      if (isLine) {
        if (!a || !b || !near(u) || !near(v)) continue;
        if (nearLine([(lon[u] + lon[v]) / 2, (lat[u] + lat[v]) / 2])) ids.push(e);
      } else {
        if (!a && !b && !segmentMayCrossBox(u, v)) continue;
        if ((a && near(u)) || (b && near(v))) { ids.push(e); continue; }
        if (booleanIntersects(lineString([[lon[u], lat[u]], [lon[v], lat[v]]]), area)) ids.push(e);
      }
    }
  }
  return ids;

  function segmentMayCrossBox(u: number, v: number): boolean {
    return Math.min(lon[u], lon[v]) <= box.maxLon && Math.max(lon[u], lon[v]) >= box.minLon
      && Math.min(lat[u], lat[v]) <= box.maxLat && Math.max(lat[u], lat[v]) >= box.minLat;
  }
}

/**
 * True if the path `nodes` (consecutive node indices, as in `RouteResult.nodes`) drives along one of
 * `edgeIds` (forward edge ids): i.e. some consecutive pair `u → v` is joined by a listed edge. Used to
 * find active assignments whose route a new closure cuts. O(path length × out-degree).
 */
export function pathUsesEdges(graph: RoadGraph, nodes: readonly number[], edgeIds: Iterable<number>): boolean {
  const set = edgeIds instanceof Set ? (edgeIds as Set<number>) : new Set(edgeIds);
  if (set.size === 0) return false;
  const { firstOut, head } = graph.forward;
  for (let i = 0; i + 1 < nodes.length; i++) {
    const u = nodes[i];
    const v = nodes[i + 1];
    if (!(u >= 0 && u < graph.nodeCount)) continue;
    for (let e = firstOut[u]; e < firstOut[u + 1]; e++) if (head[e] === v && set.has(e)) return true;
  }
  return false;
}
