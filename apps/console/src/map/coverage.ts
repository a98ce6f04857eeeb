/**
 * Coverage layer: each street filled green when an available engine reaches it within 240 s and an
 * ALS unit within 480 s (NFPA 1710), red otherwise, with the demand-weighted share and the
 * recommended move-ups in a small box on the map. Refreshed every 15 s and soon after unit changes.
 */
import L from 'leaflet';
import { fetchCoverage, type CoverageReport } from '../api';
import type { Jurisdiction } from '../types';
import type { MapContext } from './base';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const secs = (s: number | null) => (s === null ? '> 480 s' : `${Math.round(s)} s`);

/** Handle to refresh the coverage layer; `refreshSoon` coalesces bursts (unit status events). */
export interface CoverageLayer {
  refresh(): Promise<void>;
  refreshSoon(): void;
  last(): CoverageReport | null;
}

/** Adds the coverage overlay (toggle in the layers control) and its summary box; fetches at once. */
export function createCoverageLayer(ctx: MapContext, streets: () => Jurisdiction[]): CoverageLayer {
  const group = L.layerGroup().addTo(ctx.map);
  ctx.control.addOverlay(group, 'Coverage (NFPA 1710)');
  const Box = L.Control.extend({
    onAdd: () => {
      const div = L.DomUtil.create('div', 'coverage-box');
      div.id = 'coverage-box';
      L.DomEvent.disableClickPropagation(div);
      return div;
    },
  });
  new Box({ position: 'bottomright' }).addTo(ctx.map);
  let report: CoverageReport | null = null;
  let timer: number | null = null;

  const render = () => {
    group.clearLayers();
    const box = document.getElementById('coverage-box');
    if (!report) return;
    const byId = new Map(streets().map((j) => [j.id, j]));
    for (const s of report.streets) {
      const j = byId.get(s.id);
      if (!j) continue;
      L.geoJSON(j.boundary, {
        pane: 'jurisdictions',
        interactive: true,
        style: { stroke: false, fillColor: s.covered ? '#2f9e44' : '#e03131', fillOpacity: s.covered ? 0.1 : 0.22, className: s.covered ? 'coverage-ok' : 'coverage-gap' },
      })
        .bindTooltip(`${esc(s.name)}: ${s.covered ? 'covered' : 'NOT covered'} · engine ${secs(s.engineSeconds)} · ALS ${secs(s.alsSeconds)} · ${s.weight} calls/week`, { sticky: true })
        .addTo(group);
    }
    if (box) {
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      const moves = report.moveUps.map((m) => `<li><b>${esc(m.unitId)}</b> → ${esc(m.toStationId)}${m.moveSeconds !== null ? ` (${Math.round(m.moveSeconds)} s)` : ''}</li>`).join('');
      box.innerHTML = `<b>Coverage</b> ${pct(report.share)} of demand${
        report.moveUps.length ? `<br>Move-ups → ${pct(report.shareAfterMoveUps)}:<ul>${moves}</ul>` : ''
      }`;
    }
  };

  const refresh = async () => {
    try {
      report = await fetchCoverage();
      render();
    } catch (err) {
      console.warn('coverage failed', err);
    }
  };
  window.setInterval(() => void refresh(), 15000);
  void refresh();
  return {
    refresh,
    refreshSoon: () => {
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        void refresh();
      }, 3000);
    },
    last: () => report,
  };
}
