/**
 * The responder's map: the road network from `/api/roads` (OpenStreetMap data, no third-party tiles),
 * the street names along it from street zoom (16) up, the task's route and incident, and the unit itself;
 * fitted to what is drawn.
 */
import L from 'leaflet';
import { fetchRoads } from '../api';
import { t } from '../i18n';
import { drawStreetLabels } from '../map/street-labels';
import type { Unit, UnitTask } from '../types';

let map: L.Map | null = null;
const taskLayer = L.layerGroup();
let selfMarker: L.CircleMarker | null = null;

function ensureMap(): L.Map {
  if (map) return map;
  map = L.map(document.getElementById('r-map')!, { zoomControl: false, attributionControl: true, preferCanvas: true }).setView([37.7955, -122.4396], 14);
  // No third-party tiles (content security policy): the base map is the road network from /api/roads
  // (OpenStreetMap data), drawn once on a canvas, under the route and the incident.
  map.attributionControl.addAttribution(t('map.attribution'));
  const m = map;
  fetchRoads()
    .then((roads) => {
      const major = new Set(['motorway', 'trunk', 'primary', 'secondary', 'motorway_link', 'trunk_link', 'primary_link']);
      const roadLayer = L.layerGroup().addTo(m);
      L.geoJSON(roads, {
        interactive: false,
        style: (f) => ({ color: major.has(String(f?.properties?.highway)) ? '#8a97a6' : '#5b6673', weight: major.has(String(f?.properties?.highway)) ? 2 : 1, opacity: 0.8 }),
      }).addTo(roadLayer);
      // Street names from street zoom up, as on the console: a crew reads where the route turns.
      drawStreetLabels({ map: m, roads: roadLayer }, roads);
      taskLayer.remove();
      taskLayer.addTo(m);
    })
    .catch(() => undefined);
  taskLayer.addTo(map);
  return map;
}

/** Draws the task's route and incident (none for null) and the unit, and fits the map to them. */
export function drawTaskOnMap(task: UnitTask | null, unit: Unit | undefined): void {
  const m = ensureMap();
  taskLayer.clearLayers();
  const points: L.LatLngExpression[] = [];
  if (task) {
    const route = task.assignment.route;
    if (route?.type === 'LineString' && route.coordinates.length > 1) {
      const latlngs = route.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
      L.polyline(latlngs, { color: '#4cc2ff', weight: 5, className: 'task-route' }).addTo(taskLayer);
      points.push(...latlngs);
    }
    L.circleMarker([task.incident.lat, task.incident.lon], { radius: 10, color: '#111', weight: 2, fillColor: '#e5484d', fillOpacity: 1, className: 'task-incident' }).addTo(
      taskLayer,
    );
    points.push([task.incident.lat, task.incident.lon]);
  }
  if (unit) {
    selfMarker = L.circleMarker([unit.lat, unit.lon], { radius: 7, color: '#fff', weight: 2, fillColor: '#30a46c', fillOpacity: 1 }).addTo(taskLayer);
    points.push([unit.lat, unit.lon]);
  }
  if (points.length > 1) m.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 16 });
  else if (points.length === 1) m.setView(points[0], 16);
}

/** Moves the unit's own marker to the phone's position (WGS84 degrees). */
export function moveSelf(lat: number, lon: number): void {
  selfMarker?.setLatLng([lat, lon]);
}
