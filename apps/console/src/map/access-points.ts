/**
 * Where each incident meets the road network (issue 18): a small square at its access point joined to
 * the incident by a dotted line, and, when road closures cut it off, a ring beside the closure where
 * units stop, with the metres left shown in its tooltip (on foot, or the closed block).
 */
import L from 'leaflet';
import type { Incident, IncidentAccess } from '../types';
import type { MapContext } from './base';
import { t } from '../i18n';

interface Entry {
  layers: L.Layer[];
  key: string;
}

const entries = new Map<string, Entry>();

const keyOf = (inc: Incident, a: IncidentAccess): string =>
  [inc.lat, inc.lon, a.lat, a.lon, a.besideClosure?.lat, a.besideClosure?.lon, a.besideClosure?.remainingMetres].join(',');

function draw(ctx: MapContext, inc: Incident, a: IncidentAccess): L.Layer[] {
  const on = { pane: 'incidents', interactive: false } as const;
  const layers: L.Layer[] = [
    L.polyline([[inc.lat, inc.lon], [a.lat, a.lon]], { ...on, color: '#111', weight: 1, dashArray: '2 3' }),
    L.circleMarker([a.lat, a.lon], { pane: 'incidents', className: 'access-point', radius: 3, color: '#111', weight: 1, fillColor: '#fff', fillOpacity: 1 })
      .bindTooltip([a.road ? t('positions.accessPointOn', { road: a.road }) : t('positions.accessPoint'), a.surface ? '' : t('positions.notSurface')].filter(Boolean).join(' ')),
  ];
  const b = a.besideClosure;
  if (b) {
    layers.push(
      L.polyline([[b.lat, b.lon], [a.lat, a.lon]], { ...on, color: '#e5484d', weight: 2, dashArray: '4 4' }),
      L.circleMarker([b.lat, b.lon], { pane: 'incidents', className: 'access-beside-closure', radius: 5, color: '#e5484d', weight: 2, fillOpacity: 0 })
        .bindTooltip(t('positions.unitsStopHere', { m: Math.round(b.remainingMetres) })),
    );
  }
  for (const l of layers) l.addTo(ctx.incidents);
  return layers;
}

/** Syncs the access-point marks with the open incidents shown (add, redraw when moved, remove). */
export function syncAccessPoints(ctx: MapContext, incidents: Map<string, Incident>): void {
  for (const [id, entry] of entries) {
    const inc = incidents.get(id);
    if (inc?.access && keyOf(inc, inc.access) === entry.key) continue;
    for (const l of entry.layers) ctx.incidents.removeLayer(l);
    entries.delete(id);
  }
  for (const inc of incidents.values()) {
    if (!inc.access || entries.has(inc.id)) continue;
    entries.set(inc.id, { layers: draw(ctx, inc, inc.access), key: keyOf(inc, inc.access) });
  }
}
