/**
 * Road closures on the map: existing ones drawn in red (click one to lift it), and a drawing mode where
 * each map click adds a point of a new closure line, saved with a reason.
 */
import L from 'leaflet';
import { dateTime, esc } from '../format';
import { onLocaleChange, t } from '../i18n';
import type { RoadClosure } from '../types';
import type { MapContext } from './base';

const closureLayer = L.layerGroup();
let draft: Array<[number, number]> = []; // [lat, lon]
let draftLine: L.Polyline | null = null;
let drawing = false;

/** Whether the map is in closure-drawing mode. */
export function isDrawing(): boolean {
  return drawing;
}

/** Points of the closure being drawn, `[lon, lat]` (GeoJSON order). */
export function draftCoordinates(): Array<[number, number]> {
  return draft.map(([lat, lon]) => [lon, lat]);
}

/** Enter drawing mode (map clicks add points; the cursor becomes a crosshair). */
export function startDrawing(ctx: MapContext): void {
  drawing = true;
  draft = [];
  draftLine?.remove();
  draftLine = L.polyline([], { color: '#ff4d4f', weight: 5, dashArray: '6 4', className: 'closure-draft' }).addTo(ctx.map);
  ctx.map.getContainer().classList.add('drawing');
}

/** Leave drawing mode and drop the draft. */
export function stopDrawing(ctx: MapContext): void {
  drawing = false;
  draft = [];
  draftLine?.remove();
  draftLine = null;
  ctx.map.getContainer().classList.remove('drawing');
}

/** Add a point (WGS84) to the draft. */
export function addDraftPoint(lat: number, lon: number): void {
  draft.push([lat, lon]);
  draftLine?.setLatLngs(draft);
}

/** Remove the last draft point. */
export function undoDraftPoint(): void {
  draft.pop();
  draftLine?.setLatLngs(draft);
}

/** Replace the drawn closures; `onLift(id)` is called when the dispatcher lifts one from its popup. */
export function renderClosures(ctx: MapContext, closures: RoadClosure[], onLift: (id: string) => void): void {
  if (!ctx.map.hasLayer(closureLayer)) {
    closureLayer.addTo(ctx.map);
    ctx.control.addOverlay(closureLayer, t('map.layer.closures'));
    onLocaleChange(() => {
      ctx.control.removeLayer(closureLayer);
      ctx.control.addOverlay(closureLayer, t('map.layer.closures'));
    });
  }
  closureLayer.clearLayers();
  for (const c of closures) {
    // A drill scenario's closure is drawn dashed and cannot be lifted here: it routes that drill only.
    const drill = Boolean(c.drillId);
    const layer = L.geoJSON(c.geometry, {
      style: { color: drill ? '#d29922' : '#ff4d4f', weight: 5, opacity: 0.9, dashArray: drill ? '8 6' : undefined, className: drill ? 'road-closure exercise' : 'road-closure' },
    });
    layer.bindPopup(() => {
      const div = document.createElement('div');
      div.innerHTML = drill
        ? `<b>${esc(t('closure.closed'))}</b> <span class="ex-tag">${esc(t('common.exercise'))}</span><div><bdi>${esc(c.reason)}</bdi></div><div class="muted">${esc(t('closure.drillOnly'))}</div>`
        : `<b>${esc(t('closure.closed'))}</b><div><bdi>${esc(c.reason)}</bdi></div>${
            c.endsAt ? `<div class="muted">${esc(t('closure.until', { time: dateTime(Date.parse(c.endsAt)) }))}</div>` : ''
          }<button type="button">${esc(t('closure.lift'))}</button>`;
      div.querySelector('button')?.addEventListener('click', () => onLift(c.id));
      return div;
    });
    layer.addTo(closureLayer);
  }
}
