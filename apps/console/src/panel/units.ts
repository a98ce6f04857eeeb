/**
 * Unit board: the count of units in each status, and the units grouped by station and type, each
 * call sign with its type beside it and coloured by status; an out-of-service unit has a "Back in
 * service" button when the viewer may put it back (not one the import put out of service: its title says why).
 */
import { esc, importedOutText, label, stationLabel, unitTypeLabel } from '../format';
import { num, t } from '../i18n';
import type { Unit } from '../types';
import { UNIT_STATUSES } from '../types';
import { UNIT_TYPES } from '@cad/domain/units';
import { fixAgeText } from '../positions';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
/** Statuses always shown on the board, even with no unit in them. */
const ALWAYS = new Set(['available', 'dispatched', 'en_route', 'on_scene', 'out_of_service']);

/**
 * Re-render the status counts into `countsEl` and the board (one row per station) into `listEl`.
 * @param canRestore whether out-of-service units get a "Back in service" button (`PATCH /api/units/:id`
 *   offered, and the viewer is not an observer)
 * @param emptyText what the board says when it has no unit (the exercise view says no drill is running)
 */
export function renderUnitBoard(countsEl: HTMLElement, listEl: HTMLElement, units: Map<string, Unit>, canRestore = false, emptyText = t('units.none')): void {
  const groups = new Map<string, Unit[]>(UNIT_STATUSES.map((s) => [s, []]));
  for (const u of units.values()) {
    const g = groups.get(u.status);
    if (g) g.push(u);
    else groups.set(u.status, [u]);
  }
  const shown = [...groups].filter(([s, list]) => list.length > 0 || ALWAYS.has(s));
  countsEl.innerHTML = shown
    .map(
      ([s, list]) =>
        `<div class="ucount status-${esc(s)}" title="${esc(label(s))}"><span class="dot"></span><span class="n">${num(list.length)}</span><span class="k">${esc(
          shortLabel(s),
        )}</span></div>`,
    )
    .join('');
  // One row per station (by number; units with no station last), its units by type, then call sign.
  const byStation = new Map<string, Unit[]>();
  for (const u of units.values()) byStation.set(u.stationId ?? '', [...(byStation.get(u.stationId ?? '') ?? []), u]);
  const rows = [...byStation]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : collator.compare(stationLabel(a), stationLabel(b))))
    .map(([station, list]) => {
      const chips = list
        .sort((a, b) => typeRank(a.unitType) - typeRank(b.unitType) || collator.compare(unitTypeLabel(a.unitType), unitTypeLabel(b.unitType)) || collator.compare(a.callsign, b.callsign))
        .map(
          (u) =>
            `<span class="unit-chip status-${esc(u.status)}${fixAgeText(u).startsWith('STALE') ? ' stale-fix' : ''}" data-unit-id="${esc(u.id)}" data-status="${esc(u.status)}" data-unit-type="${esc(u.unitType)}" title="${esc(
              [u.callsign, unitTypeLabel(u.unitType), label(u.status), importedOutText(u), fixAgeText(u)].filter(Boolean).join(' · '),
            )}"><b>${esc(u.callsign)}</b> <span class="utype">${esc(unitTypeLabel(u.unitType))}</span>${
              // A unit the import put out of service is put back by the import (a stations file), not by a button.
              canRestore && u.status === 'out_of_service' && !u.importedOut
                ? ` <button type="button" class="small back-in-service" data-cmd="back-in-service" data-unit-id="${esc(u.id)}" title="${esc(
                    t('units.backInServiceTitle', { callsign: u.callsign }),
                  )}">${esc(t('units.backInService'))}</button>`
                : ''
            }</span>`,
        )
        .join('');
      return `<div class="board-row" data-station="${esc(station)}"><div class="board-status">${esc(station ? stationLabel(station) : t('units.noStation'))}</div><div class="board-chips">${chips}</div></div>`;
    });
  listEl.innerHTML = rows.length ? rows.join('') : `<span class="muted">${esc(emptyText)}</span>`;
}

/** A unit status in a few letters for the counts row (`Enrt` / 途中); an unknown one in full. */
function shortLabel(status: string): string {
  return (UNIT_STATUSES as readonly string[]).includes(status) ? t(`units.short.${status}`) : label(status);
}

/** Order of unit types on a station's row: engines, trucks, ambulances, then the rest (unknown types last). */
function typeRank(unitType: string): number {
  const i = (UNIT_TYPES as readonly string[]).indexOf(unitType.trim().toUpperCase());
  return i < 0 ? UNIT_TYPES.length : i;
}
