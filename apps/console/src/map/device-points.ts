/** Device points of incidents whose typed address and caller's device location disagree. */
import L from 'leaflet';
import { bdi } from '../format';
import type { Incident } from '../types';
import type { MapContext } from './base';
import { tHtml } from '../i18n';

const devicePoints = new Map<string, L.LayerGroup>();

/** Draws each shown incident's device point (hollow circle, dashed line to the incident) while its location is unconfirmed. */
export function syncDevicePoints(ctx: MapContext, incidents: Map<string, Incident>): void {
  for (const [id, layer] of devicePoints) {
    const inc = incidents.get(id);
    if (!inc?.locationUnconfirmed || !inc.devicePoint) {
      ctx.incidents.removeLayer(layer);
      devicePoints.delete(id);
    }
  }
  for (const inc of incidents.values()) {
    if (!inc.locationUnconfirmed || !inc.devicePoint || devicePoints.has(inc.id)) continue;
    const d: L.LatLngExpression = [inc.devicePoint.lat, inc.devicePoint.lon];
    const layer = L.layerGroup([
      L.polyline([d, [inc.lat, inc.lon]], { color: '#b45309', weight: 2, dashArray: '4 4', interactive: false }),
      L.circleMarker(d, { radius: 8, color: '#b45309', weight: 2, fill: false, className: 'device-point' }).bindTooltip(tHtml('positions.callersDevice', { address: bdi(inc.address ?? '') })),
    ]);
    layer.addTo(ctx.incidents);
    devicePoints.set(inc.id, layer);
  }
}

