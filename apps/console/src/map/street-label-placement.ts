/**
 * Where street names go on the map (issue 26): one anchor per named road, halfway along it, and which
 * anchors fit on screen without overlapping or repeating. Pure functions (no Leaflet), drawn by
 * `street-labels.ts`.
 */
import { haversineMetres } from '@cad/routing/geo';
import type { RoadCollection } from '../types';

/** Lowest zoom at which street names are drawn (Web Mercator zoom; about 2.4 m per pixel at 16 at this latitude). */
export const LABEL_MIN_ZOOM = 16;
/** Roads shorter than this carry no label of their own, metres. */
export const MIN_LABEL_ROAD_M = 60;
/** A street's name is not repeated within this many pixels of the same name. */
export const SAME_NAME_GAP_PX = 220;
/** Most labels drawn at once. */
export const MAX_LABELS = 250;

/** Where a road's name may go: the point halfway along it, and the ends of the segment holding that point. */
export interface LabelAnchor {
  name: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  /** The segment through the anchor, `[lat, lon]` pairs in WGS84 degrees (its direction sets the text's). */
  from: [number, number];
  to: [number, number];
  /** The road's length, metres (longer roads are labelled first). */
  lengthM: number;
}

/**
 * One anchor per named road of at least `minLengthM` metres: the point halfway along the line
 * (lengths by haversine), on the segment that holds it. Longest first.
 */
export function labelAnchors(roads: RoadCollection, minLengthM = MIN_LABEL_ROAD_M): LabelAnchor[] {
  const out: LabelAnchor[] = [];
  for (const f of roads.features) {
    const name = f.properties?.name?.trim();
    const c = f.geometry?.coordinates;
    if (!name || !c || c.length < 2) continue;
    const seg: number[] = [];
    let total = 0;
    for (let i = 1; i < c.length; i++) {
      const d = haversineMetres(c[i - 1][1], c[i - 1][0], c[i][1], c[i][0]);
      seg.push(d);
      total += d;
    }
    if (total < minLengthM) continue;
    let left = total / 2;
    let i = 0;
    while (i < seg.length - 1 && left > seg[i]) left -= seg[i++];
    const k = seg[i] > 0 ? left / seg[i] : 0;
    const [lon0, lat0] = c[i];
    const [lon1, lat1] = c[i + 1];
    out.push({ name, lat: lat0 + (lat1 - lat0) * k, lon: lon0 + (lon1 - lon0) * k, from: [lat0, lon0], to: [lat1, lon1], lengthM: total });
  }
  return out.sort((a, b) => b.lengthM - a.lengthM);
}

/** A label placed on screen: its anchor and the text's angle, degrees clockwise, kept upright in (-90, 90]. */
export interface PlacedLabel {
  anchor: LabelAnchor;
  angleDeg: number;
}

/**
 * Chooses which anchors to draw: those inside `view` (pixels, from `project`), longest road first,
 * skipping one whose box overlaps a label already placed or that lies within `SAME_NAME_GAP_PX` of
 * the same name; at most `MAX_LABELS`. A label's box is its text's estimated width (7 px per
 * character, 12 px tall) around the anchor, axis-aligned (a conservative bound when rotated).
 * @param project WGS84 `[lat, lon]` to screen pixels `{x, y}`
 */
export function placeLabels(anchors: readonly LabelAnchor[], project: (lat: number, lon: number) => { x: number; y: number }, view: { width: number; height: number }): PlacedLabel[] {
  const placed: { x: number; y: number; w: number; h: number; name: string }[] = [];
  const out: PlacedLabel[] = [];
  for (const a of anchors) {
    if (out.length >= MAX_LABELS) break;
    const p = project(a.lat, a.lon);
    if (p.x < 0 || p.y < 0 || p.x > view.width || p.y > view.height) continue;
    const p0 = project(a.from[0], a.from[1]);
    const p1 = project(a.to[0], a.to[1]);
    let angle = (Math.atan2(p1.y - p0.y, p1.x - p0.x) * 180) / Math.PI;
    if (angle > 90) angle -= 180;
    if (angle <= -90) angle += 180;
    const len = a.name.length * 7;
    const rad = (angle * Math.PI) / 180;
    const w = Math.abs(Math.cos(rad)) * len + 12;
    const h = Math.abs(Math.sin(rad)) * len + 12;
    const clash = placed.some(
      (o) => (Math.abs(o.x - p.x) * 2 < o.w + w && Math.abs(o.y - p.y) * 2 < o.h + h) || (o.name === a.name && Math.hypot(o.x - p.x, o.y - p.y) < SAME_NAME_GAP_PX),
    );
    if (clash) continue;
    placed.push({ x: p.x, y: p.y, w, h, name: a.name });
    out.push({ anchor: a, angleDeg: Math.round(angle * 10) / 10 });
  }
  return out;
}
