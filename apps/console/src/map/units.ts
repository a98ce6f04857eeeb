/** Unit markers (class `unit-marker status-<status>`) and assignment route polylines. */
import L from 'leaflet';
import { capabilityLabel, esc, label, STATUS_COLOURS } from '../format';
import { list } from '../i18n';
import type { Assignment, Incident, Unit } from '../types';
import { MOVING_STATUSES } from '../types';
import type { MapContext } from './base';

/** Unit markers by unit id: created once per unit, then only moved / restyled. */
export const unitMarkers = new Map<string, L.CircleMarker>();
const markerStatus = new Map<string, string>();
/** Above this many units, markers are drawn on one canvas: SVG repaints too slowly when they all move (bench/console-load.ts). */
export const CANVAS_ABOVE_UNITS = 1000;
let renderer: L.Renderer | null = null;

/**
 * The unit renderer, chosen once from the fleet size: SVG (class `unit-marker` and `data-unit-id` in
 * the DOM) for up to {@link CANVAS_ABOVE_UNITS} units, canvas above. `?markers=svg|canvas` forces one.
 */
function unitRenderer(count: number): L.Renderer {
  if (renderer) return renderer;
  const forced = new URLSearchParams(window.location.search).get('markers');
  const canvas = forced ? forced === 'canvas' : count > CANVAS_ABOVE_UNITS;
  renderer = canvas ? L.canvas({ pane: 'units' }) : L.svg({ pane: 'units' });
  document.body.dataset.unitRenderer = canvas ? 'canvas' : 'svg';
  return renderer;
}

function unitTooltip(u: Unit): string {
  return `<b>${esc(u.callsign)}</b> · ${esc(label(u.status))}<br><span class="muted">${esc(u.unitType)}${
    u.capabilities?.length ? ` · ${esc(list(u.capabilities.map(capabilityLabel)))}` : ''
  }</span>`;
}

function applyStatus(marker: L.CircleMarker, unitId: string, status: string): void {
  const cls = `unit-marker status-${status}`;
  marker.options.className = cls; // used again if the path is re-created (layer toggled)
  marker.setStyle({ fillColor: STATUS_COLOURS[status] ?? '#999' });
  const el = marker.getElement();
  if (el) {
    el.setAttribute('class', `${cls} leaflet-interactive`);
    el.setAttribute('data-unit-id', unitId);
  }
  markerStatus.set(unitId, status);
}

/** Sync unit markers with the unit map: add appearing units, restyle on status change, remove departed ones. */
export function syncUnitMarkers(ctx: MapContext, units: Map<string, Unit>): void {
  for (const [id, marker] of unitMarkers) {
    if (!units.has(id)) {
      ctx.units.removeLayer(marker);
      unitMarkers.delete(id);
      markerStatus.delete(id);
    }
  }
  for (const u of units.values()) {
    let marker = unitMarkers.get(u.id);
    if (!marker) {
      const m = L.circleMarker([u.lat, u.lon], {
        pane: 'units',
        renderer: unitRenderer(units.size),
        className: `unit-marker status-${u.status}`,
        radius: 6,
        color: '#0d1117',
        weight: 1.5,
        fillColor: STATUS_COLOURS[u.status] ?? '#999',
        fillOpacity: 1,
      });
      m.on('add', () => m.getElement()?.setAttribute('data-unit-id', u.id));
      m.bindTooltip(() => unitTooltip(units.get(u.id) ?? u), { direction: 'top', offset: [0, -6] });
      m.addTo(ctx.units);
      unitMarkers.set(u.id, m);
      markerStatus.set(u.id, u.status);
      marker = m;
    } else {
      if (markerStatus.get(u.id) !== u.status) applyStatus(marker, u.id, u.status);
      const ll = marker.getLatLng();
      if (ll.lat !== u.lat || ll.lng !== u.lon) marker.setLatLng([u.lat, u.lon]);
    }
    if (marker.isTooltipOpen()) marker.setTooltipContent(unitTooltip(u));
  }
}

/** Move one unit marker (AVL). */
export function moveUnitMarker(unitId: string, lat: number, lon: number): void {
  unitMarkers.get(unitId)?.setLatLng([lat, lon]);
}

/** Pan to a unit and show its tooltip. */
export function focusUnit(ctx: MapContext, unitId: string): void {
  const m = unitMarkers.get(unitId);
  if (!m) return;
  ctx.map.panTo(m.getLatLng());
  m.openTooltip();
}

// ---- routes ----

const routeLines = new Map<string, { line: L.Polyline; key: string }>();

function routeKey(a: Assignment): string {
  const c = a.route?.coordinates ?? [];
  return `${c.length}:${c[0]?.join(',')}:${c[c.length - 1]?.join(',')}`;
}

/**
 * Show the route polyline of every assignment whose unit is dispatched, acknowledged or en route,
 * and remove it once the unit is on scene, cleared or the incident closed.
 */
export function syncRoutes(ctx: MapContext, incidents: Map<string, Incident>, units: Map<string, Unit>): void {
  const wanted = new Map<string, Assignment>();
  for (const inc of incidents.values()) {
    for (const a of inc.assignments) {
      if (!MOVING_STATUSES.has(a.status)) continue;
      if (!a.route || a.route.type !== 'LineString' || a.route.coordinates.length < 2) continue;
      const unitStatus = units.get(a.unitId)?.status;
      if (unitStatus && !MOVING_STATUSES.has(unitStatus)) continue;
      wanted.set(a.id, a);
    }
  }
  for (const [id, r] of routeLines) {
    if (!wanted.has(id)) {
      ctx.routes.removeLayer(r.line);
      routeLines.delete(id);
    }
  }
  for (const [id, a] of wanted) {
    const key = routeKey(a);
    const latlngs = a.route!.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
    const existing = routeLines.get(id);
    if (existing) {
      if (existing.key !== key) {
        existing.line.setLatLngs(latlngs);
        existing.key = key;
      }
      continue;
    }
    const line = L.polyline(latlngs, {
      pane: 'routes',
      className: 'unit-route',
      color: '#4cc2ff',
      weight: 3.5,
      opacity: 0.85,
      dashArray: '8 6',
      interactive: false,
    });
    line.addTo(ctx.routes);
    routeLines.set(id, { line, key });
  }
}
