/**
 * Coverage layer: each street filled green when an available engine reaches it within 240 s and an
 * ALS unit within 480 s (NFPA 1710), red otherwise, with the demand-weighted share and the
 * recommended move-ups in a small box on the map. Refreshed every 15 s and soon after unit changes.
 */
import L from 'leaflet';
import { fetchCoverage, type CoverageReport } from '../api';
import { capabilityLabel, stationLabel, unitTypeLabel } from '../format';
import { num, onLocaleChange, t } from '../i18n';
import type { Jurisdiction } from '../types';
import type { MapContext } from './base';
import { createMoveUpsList, type MoveUpsList } from './move-ups';
import './move-ups.css';
import { LatestRead } from '../state/live-read';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const secs = (s: number | null) => (s === null ? t('coverage.beyond', { s: num(480) }) : t('coverage.seconds', { s: num(Math.round(s)) }));

/** Handle to refresh the coverage layer; `refreshSoon` coalesces bursts (unit status events). */
export interface CoverageLayer {
  refresh(): Promise<void>;
  refreshSoon(): void;
  last(): CoverageReport | null;
  /** Reloads the move-ups carried out (after a `moveup.*` event). */
  moveUpsChanged(): void;
}

/**
 * Adds the coverage overlay (toggle in the layers control) and its summary box, with the move-ups
 * proposed under `apply` below the recommendations (see `move-ups.ts`); fetches at once.
 */
export function createCoverageLayer(ctx: MapContext, streets: () => Jurisdiction[], toast?: (text: string, error?: boolean) => void): CoverageLayer {
  const group = L.layerGroup().addTo(ctx.map);
  ctx.control.addOverlay(group, t('map.layer.coverage'));
  onLocaleChange(() => {
    ctx.control.removeLayer(group);
    ctx.control.addOverlay(group, t('map.layer.coverage'));
    render();
  });
  const Box = L.Control.extend({
    onAdd: () => {
      const div = L.DomUtil.create('div', 'coverage-box');
      div.id = 'coverage-box';
      L.DomUtil.create('div', 'coverage-summary', div).id = 'coverage-summary';
      const moves = L.DomUtil.create('div', 'move-ups', div);
      moves.hidden = true;
      moveUps = createMoveUpsList(moves, toast);
      L.DomEvent.disableClickPropagation(div);
      return div;
    },
  });
  let moveUps: MoveUpsList | null = null;
  new Box({ position: 'bottomright' }).addTo(ctx.map);
  let report: CoverageReport | null = null;
  let timer: number | null = null;

  const render = () => {
    group.clearLayers();
    const box = document.getElementById('coverage-summary');
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
        .bindTooltip(
          esc(
            t(s.covered ? 'coverage.streetCovered' : 'coverage.streetNotCovered', {
              name: s.name,
              engine: capabilityLabel('engine'),
              engineTime: secs(s.engineSeconds),
              als: capabilityLabel('als'),
              alsTime: secs(s.alsSeconds),
              count: s.weight,
            }),
          ),
          { sticky: true },
        )
        .addTo(group);
    }
    if (box) {
      const pct = (x: number) => num(x, { style: 'percent', maximumFractionDigits: 0 });
      const moves = report.moveUps
        .map(
          (m) =>
            `<li>${m.unitType ? `${esc(unitTypeLabel(m.unitType))} ` : ''}<b>${esc(m.unitId)}</b> → ${esc(stationLabel(m.toStationId))}${m.moveSeconds !== null ? ` (${esc(t('coverage.seconds', { s: num(Math.round(m.moveSeconds)) }))})` : ''}</li>`,
        )
        .join('');
      box.innerHTML = `<b>${esc(t('coverage.title'))}</b> ${esc(t('coverage.share', { share: pct(report.share) }))}${
        report.moveUps.length ? `<br>${esc(t('coverage.moveUps', { share: pct(report.shareAfterMoveUps) }))}<ul>${moves}</ul>` : ''
      }`;
    }
  };

  const refresh = async () => {
    const ticket = reads.start();
    try {
      const read = await fetchCoverage();
      if (!reads.current(ticket)) return;
      report = read;
      render();
      await moveUps?.reload();
    } catch (err) {
      console.warn('coverage failed', err);
    }
  };
  // Only the latest report lands (a refresh asked on a unit's change may be answered before the 15 s poll's).
  const reads = new LatestRead();
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
    moveUpsChanged: () => void moveUps?.reload(),
  };
}
