/**
 * Street names on the map (issue 26), drawn from the road network the API serves (`/api/roads`,
 * OpenStreetMap `name` tags): no tile server, so the console works offline. Names appear from
 * `LABEL_MIN_ZOOM` (street zoom) up, along their road, light on a dark halo for the dark theme,
 * at most one per street per screen area so they never pile up.
 */
import L from 'leaflet';
import { bdi } from '../format';
import type { RoadCollection } from '../types';
import type { MapContext } from './base';
import { labelAnchors, LABEL_MIN_ZOOM, placeLabels } from './street-label-placement';
import './street-labels.css';

/**
 * Draws street names on `ctx.map` from `roads`, redrawn after each move and zoom: none below
 * {@link LABEL_MIN_ZOOM} or while the roads layer (`ctx.roads`) is switched off. Labels are not
 * interactive. `theme: 'light'` draws dark text on a light halo, for the public pages' white map.
 */
export function drawStreetLabels(ctx: Pick<MapContext, 'map' | 'roads'>, roads: RoadCollection, theme: 'dark' | 'light' = 'dark'): void {
  const anchors = labelAnchors(roads);
  if (!ctx.map.getPane('street-labels')) {
    const pane = ctx.map.createPane('street-labels');
    pane.style.zIndex = '340';
    pane.style.pointerEvents = 'none';
  }
  const layer = L.layerGroup().addTo(ctx.map);
  const redraw = (): void => {
    layer.clearLayers();
    if (ctx.map.getZoom() < LABEL_MIN_ZOOM || !ctx.map.hasLayer(ctx.roads)) return;
    const size = ctx.map.getSize();
    const chosen = placeLabels(anchors, (lat, lon) => ctx.map.latLngToContainerPoint([lat, lon]), { width: size.x, height: size.y });
    for (const { anchor, angleDeg } of chosen) {
      L.marker([anchor.lat, anchor.lon], {
        pane: 'street-labels',
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: theme === 'light' ? 'street-label street-label--light' : 'street-label', iconSize: [0, 0], html: `<span style="transform: translate(-50%, -50%) rotate(${angleDeg}deg)">${bdi(anchor.name)}</span>` }),
      }).addTo(layer);
    }
  };
  ctx.map.on('moveend zoomend overlayadd overlayremove', redraw);
  redraw();
}
