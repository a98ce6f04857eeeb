/** Map set-up: panes, the road network as base map, jurisdiction tiers and the layer control. */
import L from 'leaflet';
import { bdi, placeName } from '../format';
import { onLocaleChange, t } from '../i18n';
import type { Jurisdiction, RoadCollection } from '../types';
import { addNamedOverlay } from './overlay-names';

export const INITIAL_VIEW = { lat: 37.7955, lon: -122.4396, zoom: 14 };

/** Handles to the map and the overlay groups other modules fill in. */
export interface MapContext {
  map: L.Map;
  control: L.Control.Layers;
  roads: L.LayerGroup;
  city: L.LayerGroup;
  districts: L.LayerGroup;
  streets: L.LayerGroup;
  routes: L.LayerGroup;
  units: L.LayerGroup;
  incidents: L.LayerGroup;
}

/** Create the Leaflet map in `el` with panes ordered roads < jurisdictions < routes < units < incidents. */
export function createMap(el: HTMLElement): MapContext {
  const map = L.map(el, {
    center: [INITIAL_VIEW.lat, INITIAL_VIEW.lon],
    zoom: INITIAL_VIEW.zoom,
    preferCanvas: false, // incident/unit markers must be SVG so their class names land in the DOM
    zoomControl: false,
  });
  let zoom = L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  const panes: Array<[string, number]> = [
    ['roads', 320],
    ['jurisdictions', 360],
    ['routes', 420],
    ['units', 440],
    ['incidents', 460],
  ];
  for (const [name, z] of panes) map.createPane(name).style.zIndex = String(z);

  // No third-party tiles (the API's content security policy allows only its own origin): the base map is
  // the road network from /api/roads, which is OpenStreetMap data.
  let attribution = t('map.attribution');
  map.attributionControl.addAttribution(attribution);

  const ctx: MapContext = {
    map,
    control: L.control.layers({}, {}, { collapsed: true, position: 'topright' }),
    roads: L.layerGroup().addTo(map),
    city: L.layerGroup().addTo(map),
    districts: L.layerGroup().addTo(map),
    streets: L.layerGroup().addTo(map),
    routes: L.layerGroup().addTo(map),
    units: L.layerGroup().addTo(map),
    incidents: L.layerGroup().addTo(map),
  };
  const overlays: Array<[L.Layer, string]> = [
    [ctx.roads, 'map.layer.roads'],
    [ctx.city, 'map.layer.city'],
    [ctx.districts, 'map.layer.districts'],
    [ctx.streets, 'map.layer.streets'],
    [ctx.routes, 'map.layer.routes'],
    [ctx.units, 'map.layer.units'],
    [ctx.incidents, 'map.layer.incidents'],
  ];
  // A change of language renames the controls (the layers keep their state).
  for (const [layer, key] of overlays) addNamedOverlay(ctx.control, layer, key);
  ctx.control.addTo(map);
  onLocaleChange(() => {
    map.attributionControl.removeAttribution(attribution).addAttribution((attribution = t('map.attribution')));
    // One zoom control, however many times the language changes.
    zoom.remove();
    zoom = L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  });
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
  return ctx;
}

const MAJOR_ROADS = new Set(['motorway', 'trunk', 'primary', 'secondary']);

/** Whether a road (its OpenStreetMap `highway` value, `_link` folded in) is drawn a little heavier. */
export function isMajorRoad(highway: string | undefined): boolean {
  return MAJOR_ROADS.has((highway ?? '').replace(/_link$/, ''));
}

/** Draw the road network as thin grey lines on a canvas renderer (fast; makes the map usable offline). */
export function renderRoads(ctx: MapContext, roads: RoadCollection): void {
  const renderer = L.canvas({ pane: 'roads', padding: 0.3 });
  const layer = L.geoJSON(roads, {
    pane: 'roads',
    interactive: false,
    style: (f) => {
      const isMajor = isMajorRoad((f?.properties as { highway?: string } | undefined)?.highway);
      return {
        renderer,
        color: isMajor ? '#8a929c' : '#5d656f',
        weight: isMajor ? 2 : 1,
        opacity: 0.9,
        interactive: false,
      } as L.PathOptions;
    },
  });
  ctx.roads.clearLayers();
  ctx.roads.addLayer(layer);
}

/** The district labels drawn, worded again when the language changes (第3区 / District 3); one listener. */
const districtLabels: { layer: L.Layer; name: string }[] = [];
let districtLabelsListen = false;

/** Draw jurisdiction boundaries per tier: city thick, districts medium and labelled, streets thin dashed with tooltip. */
export function renderJurisdictions(ctx: MapContext, list: Jurisdiction[]): void {
  districtLabels.length = 0;
  if (!districtLabelsListen) {
    districtLabelsListen = true;
    onLocaleChange(() => districtLabels.forEach(({ layer, name }) => layer.setTooltipContent(bdi(placeName(name)))));
  }
  ctx.city.clearLayers();
  ctx.districts.clearLayers();
  ctx.streets.clearLayers();
  for (const j of list) {
    if (!j?.boundary) continue;
    if (j.level === 'city') {
      L.geoJSON(j.boundary, {
        pane: 'jurisdictions',
        interactive: false,
        style: { color: '#d9e2ec', weight: 4, opacity: 0.85, fill: false },
      }).addTo(ctx.city);
    } else if (j.level === 'district') {
      const layer = L.geoJSON(j.boundary, {
        pane: 'jurisdictions',
        interactive: false,
        style: { color: '#7fb2e5', weight: 2.5, opacity: 0.8, fillColor: '#7fb2e5', fillOpacity: 0.03 },
      });
      layer.bindTooltip(bdi(placeName(j.name)), { permanent: true, direction: 'center', className: 'district-label' });
      districtLabels.push({ layer, name: j.name });
      layer.addTo(ctx.districts);
    } else {
      const layer = L.geoJSON(j.boundary, {
        pane: 'jurisdictions',
        style: { color: '#a3adb8', weight: 1, opacity: 0.6, dashArray: '4 4', fillOpacity: 0.0, fillColor: '#fff' },
      });
      layer.bindTooltip(bdi(j.name), { sticky: true, className: 'street-tip' });
      layer.addTo(ctx.streets);
    }
  }
}
