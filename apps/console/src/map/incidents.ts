/** Incident markers: SVG circle markers (class `incident-marker priority-N`, `data-incident-id`), coloured by priority. */
import L from 'leaflet';
import { bdi, esc, etaText, hms, label, PRIORITY_COLOURS, typeLabel } from '../format';
import { t } from '../i18n';
import type { Incident } from '../types';
import type { MapContext } from './base';
import { callNumberShown } from '../drill-names';

interface Entry {
  marker: L.CircleMarker;
  priority: number;
  incident: Incident;
}

const entries = new Map<string, Entry>();
/** One SVG renderer for all incident markers (SVG so class names and data attributes reach the DOM). */
const svgRenderer = L.svg({ pane: 'incidents' });

/** HTML for an incident popup (shared with the panel for consistency). */
export function incidentPopupHtml(inc: Incident): string {
  const active = inc.assignments.filter((a) => a.status !== 'cleared');
  const units = active.length
    ? active
        .map(
          (a) =>
            `<li><b>${esc(a.callsign)}</b> ${esc(label(a.status))}${
              a.status === 'dispatched' || a.status === 'en_route' ? ` · ${esc(etaText(a))}` : ''
            }</li>`,
        )
        .join('')
    : `<li class="muted">${esc(t('common.noUnitsAssigned'))}</li>`;
  return `<div class="popup">
    <div class="popup-title"><span class="chip p${inc.priority}">P${inc.priority}</span> ${bdi(typeLabel(inc.type))}
      ${inc.exercise ? `<span class="badge-ex">${esc(t('common.exercise'))}</span>` : ''}</div>
    <div>${bdi(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
    <div class="muted">${[inc.street?.name, inc.district?.name].filter(Boolean).map(bdi).join(' · ') || esc(t('common.noJurisdiction'))}</div>
    ${inc.outsideBoundary ? `<div class="warn">${esc(t('popup.outsideCity'))}</div>` : ''}
    <div class="muted">${inc.exercise ? `<span class="ex-tag">${esc(t('common.exercise'))}</span> ` : ''}${esc(callNumberShown(inc.callNumber, inc.id))} · ${esc(label(inc.status))} · ${esc(t('popup.received', { time: hms(Date.parse(inc.receivedAt)) }))}</div>
    <ul class="popup-units">${units}</ul>
  </div>`;
}

function createMarker(ctx: MapContext, inc: Incident): L.CircleMarker {
  const p = inc.priority;
  const colour = PRIORITY_COLOURS[p] ?? PRIORITY_COLOURS[3];
  const marker = L.circleMarker([inc.lat, inc.lon], {
    pane: 'incidents',
    renderer: svgRenderer,
    className: `incident-marker priority-${p}`,
    radius: p === 1 ? 10 : 8,
    color: '#111',
    weight: 2,
    fillColor: colour,
    fillOpacity: 0.95,
  });
  // The SVG path is (re)created each time the marker is added to the map: tag it every time.
  marker.on('add', () => {
    const el = marker.getElement();
    el?.setAttribute('data-incident-id', inc.id);
  });
  marker.bindPopup(() => incidentPopupHtml(entries.get(inc.id)?.incident ?? inc), { maxWidth: 320 });
  marker.addTo(ctx.incidents);
  return marker;
}

/** Sync incident markers with the set of open incidents (add new, move/update changed, remove closed). */
export function syncIncidentMarkers(ctx: MapContext, incidents: Map<string, Incident>): void {
  for (const [id, entry] of entries) {
    if (!incidents.has(id)) {
      entry.marker.remove();
      ctx.incidents.removeLayer(entry.marker);
      entries.delete(id);
    }
  }
  for (const inc of incidents.values()) {
    const entry = entries.get(inc.id);
    if (!entry || entry.priority !== inc.priority) {
      if (entry) ctx.incidents.removeLayer(entry.marker);
      entries.set(inc.id, { marker: createMarker(ctx, inc), priority: inc.priority, incident: inc });
      continue;
    }
    entry.incident = inc;
    const ll = entry.marker.getLatLng();
    if (ll.lat !== inc.lat || ll.lng !== inc.lon) entry.marker.setLatLng([inc.lat, inc.lon]);
    if (entry.marker.isPopupOpen()) entry.marker.setPopupContent(incidentPopupHtml(inc));
  }
}

/** Zoom Enter (focus) shows an incident at: street level, where street names are drawn (see `map/street-labels.ts`). */
export const FOCUS_ZOOM = 17;

/** The narrowest map part beside the detail card an incident is centred in (a popup is about 320–350 px wide), pixels. */
const MIN_FREE_WIDTH_PX = 370;

/**
 * Centre the map on an incident at street zoom ({@link FOCUS_ZOOM}, or closer if already closer) and open its
 * popup. The detail card lies over the map's left side: when it is shown and the map beside it is wide enough,
 * the incident is centred in the part it leaves free, so its popup is never under the card.
 */
export function focusIncident(ctx: MapContext, id: string): void {
  const entry = entries.get(id);
  if (!entry) return;
  // Street zoom (street names are drawn from 16 up), never zooming out from closer.
  ctx.map.setView(entry.marker.getLatLng(), Math.max(ctx.map.getZoom(), FOCUS_ZOOM), { animate: false });
  const card = typeof document === 'undefined' ? null : document.getElementById('detail');
  const covered = card && !card.hidden ? card.offsetLeft + card.offsetWidth : 0;
  if (covered > 0 && ctx.map.getSize().x - covered >= MIN_FREE_WIDTH_PX) ctx.map.panBy([-covered / 2, 0], { animate: false });
  // Narrower than that: the popup's own pan keeps its left edge clear of the card (its right may then go past the map's edge).
  const popup = entry.marker.getPopup();
  if (popup) popup.options.autoPanPaddingTopLeft = L.point(covered > 0 ? covered + 10 : 5, 5);
  entry.marker.openPopup();
}
