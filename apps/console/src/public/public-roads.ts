/**
 * The road network on the residents' pages (`/alerts`, `/report`): there is no tile server (the
 * content security policy allows this origin only), so the streets and their names come from
 * `/public/roads.json` (OpenStreetMap data, no sign-in), drawn light grey under an alert's area with
 * the names along them from street zoom up: a resident can tell whether their street is inside.
 */
import L from 'leaflet';
import { isMajorRoad } from '../map/base';
import { drawStreetLabels } from '../map/street-labels';
import type { RoadCollection } from '../types';

/**
 * Fetches `/public/roads.json` and draws it on `map` under the overlays, with street names above
 * them (so an area's tint never hides a name). A failed fetch leaves the map as it was (the city
 * outline still gives its bearings).
 * @returns the roads layer, or null when the roads could not be read
 */
export async function drawPublicRoads(map: L.Map): Promise<L.LayerGroup | null> {
  let roads: RoadCollection;
  try {
    const res = await fetch('/public/roads.json');
    if (!res.ok) return null;
    roads = (await res.json()) as RoadCollection;
  } catch {
    return null;
  }
  if (!map.getPane('roads')) map.createPane('roads').style.zIndex = '350';
  if (!map.getPane('street-labels')) {
    const pane = map.createPane('street-labels');
    pane.style.zIndex = '450';
    pane.style.pointerEvents = 'none';
  }
  const renderer = L.canvas({ pane: 'roads', padding: 0.3 });
  const layer = L.layerGroup().addTo(map);
  L.geoJSON(roads, {
    pane: 'roads',
    interactive: false,
    style: (f) => {
      const major = isMajorRoad((f?.properties as { highway?: string } | undefined)?.highway);
      return { renderer, color: major ? '#98a1ab' : '#c3c9d0', weight: major ? 2 : 1, opacity: 1, interactive: false } as L.PathOptions;
    },
  }).addTo(layer);
  drawStreetLabels({ map, roads: layer }, roads, 'light');
  map.attributionControl?.addAttribution('Roads: © OpenStreetMap contributors');
  return layer;
}
