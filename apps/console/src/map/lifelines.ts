/**
 * Lifelines layer: each lifeline network's pipes, its sensors coloured by state (reporting, out of
 * control, silent) and its open suspected leaks drawn as their uncertainty area, with a box that says
 * the network is a stand-in (when it is) and counts open alarms and silent sensors (collapsed to its
 * title and open alarms until opened: lifelines-box.ts). A toggle in the
 * layers control; refreshed every 15 s from `GET /api/lifelines` and `GET /api/lifelines/networks`.
 */
import L from 'leaflet';
import './lifelines.css';
import { request } from '../api';
import { bdi, dateTime, esc } from '../format';
import { num, onLocaleChange, t, tHtml } from '../i18n';
import { lifelinesBoxHtml, lifelinesBoxOpen, rememberLifelinesBox, STATE_COLOURS } from './lifelines-box';
import type { MapContext } from './base';

/** A network as `GET /api/lifelines/networks` gives it. */
interface NetworkView {
  id: string;
  name: string;
  kind: 'water' | 'gas';
  standIn: boolean;
  pipes: [[number, number], [number, number]][];
  sensors: { id: string; quantity: string; node: string; lat: number; lon: number; state: 'ok' | 'alarm' | 'silent'; lastReading: string | null }[];
}
/** The channel's state as `GET /api/lifelines` gives it (the parts drawn here). */
interface ChannelState {
  alarms: { network: string; since: string; location: { lat: number; lon: number }; uncertaintyM: number; candidates: { node: string }[] }[];
  silent: { network: string; sensor: string }[];
}

const REFRESH_MS = 15_000;

/** Handle of the lifelines layer (for tests and the console's debugging hook). */
export interface LifelinesLayer {
  refresh(): Promise<void>;
}

/** Adds the lifelines overlay (shown, and a toggle in the layers control) and its box; fetches at once. */
export function createLifelinesLayer(ctx: MapContext): LifelinesLayer {
  const group = L.layerGroup().addTo(ctx.map);
  ctx.control.addOverlay(group, t('map.layer.lifelines'));
  const Box = L.Control.extend({
    onAdd: () => {
      const div = L.DomUtil.create('div', 'lifelines-box');
      div.id = 'lifelines-box';
      L.DomEvent.disableClickPropagation(div);
      // Collapsed by default (it covered part of the map); a click on its title opens or closes it.
      div.addEventListener('click', (e) => {
        if (!(e.target as HTMLElement).closest('.lifelines-toggle')) return;
        open = !open;
        rememberLifelinesBox(open);
        render();
      });
      return div;
    },
  });
  const box = new Box({ position: 'bottomleft' });
  let open = lifelinesBoxOpen();
  let networks: NetworkView[] = [];
  let state: ChannelState = { alarms: [], silent: [] };

  const render = () => {
    group.clearLayers();
    for (const n of networks) {
      const pipeTip = tHtml('lifelines.pipe', { network: bdi(n.id) });
      for (const p of n.pipes) {
        L.polyline(p, { color: '#1c7ed6', weight: 3, opacity: 0.7, dashArray: n.standIn ? '6 4' : undefined, className: 'lifeline-pipe' })
          .bindTooltip(n.standIn ? pipeTip : esc(n.name), { sticky: true })
          .addTo(group);
      }
      for (const s of n.sensors) {
        const tip = t('lifelines.sensor', {
          id: s.id,
          quantity: t(`lifelines.quantity.${s.quantity}`),
          state: t(`lifelines.state.${s.state}`),
          last: s.lastReading ? dateTime(Date.parse(s.lastReading)) : t('lifelines.never'),
        });
        L.circleMarker([s.lat, s.lon], { radius: 7, color: '#fff', weight: 2, fillColor: STATE_COLOURS[s.state], fillOpacity: 1, className: `lifeline-sensor lifeline-sensor-${s.state}` })
          .bindTooltip(esc(tip))
          .addTo(group);
      }
    }
    for (const a of state.alarms) {
      L.circle([a.location.lat, a.location.lon], { radius: a.uncertaintyM, color: '#e03131', weight: 2, fillOpacity: 0.15, className: 'lifeline-alarm' })
        .bindTooltip(esc(t('lifelines.leak', { network: a.network, node: a.candidates[0]?.node ?? '?', radius: num(Math.round(a.uncertaintyM)), since: dateTime(Date.parse(a.since)) })))
        .addTo(group);
    }
    const el = document.getElementById('lifelines-box');
    if (!el) return;
    // No lifeline network served here (the channel is off, or runs in another process): no box.
    el.hidden = networks.length === 0;
    el.innerHTML = lifelinesBoxHtml(networks, { alarms: state.alarms.length, silent: state.silent.length }, open);
  };

  // The box goes with the layer: shown when the overlay is on, removed when it is toggled off.
  ctx.map.on('overlayadd', (e: L.LayersControlEvent) => {
    if (e.layer === group) {
      box.addTo(ctx.map);
      render();
    }
  });
  ctx.map.on('overlayremove', (e: L.LayersControlEvent) => {
    if (e.layer === group) box.remove();
  });
  box.addTo(ctx.map);
  onLocaleChange(() => {
    ctx.control.removeLayer(group);
    ctx.control.addOverlay(group, t('map.layer.lifelines'));
    render();
  });

  const refresh = async () => {
    try {
      [networks, state] = await Promise.all([request<NetworkView[]>('GET', '/api/lifelines/networks'), request<ChannelState>('GET', '/api/lifelines')]);
    } catch (err) {
      console.warn('lifelines layer failed', err);
    }
    render();
  };
  void refresh();
  window.setInterval(() => void refresh(), REFRESH_MS);
  return { refresh };
}
