/**
 * Unit board: units grouped by status (count and callsign chips coloured by status); an out-of-service
 * unit has a "Back in service" button when the viewer may put it back.
 */
import { esc, label } from '../format';
import { num, t } from '../i18n';
import type { Unit } from '../types';
import { UNIT_STATUSES } from '../types';
import { fixAgeText } from '../positions';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
/** Statuses always shown on the board, even with no unit in them. */
const ALWAYS = new Set(['available', 'dispatched', 'en_route', 'on_scene', 'out_of_service']);

/**
 * Re-render the status counts into `countsEl` and the board (one row per status) into `listEl`.
 * @param canRestore whether out-of-service units get a "Back in service" button (`PATCH /api/units/:id`
 *   offered, and the viewer is not an observer)
 */
export function renderUnitBoard(countsEl: HTMLElement, listEl: HTMLElement, units: Map<string, Unit>, canRestore = false): void {
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
  // Units at work first, then available and out of service.
  const atWork = (st: string) => (st === 'available' ? 1 : st === 'out_of_service' ? 2 : 0);
  const rows = shown
    .filter(([, list]) => list.length > 0)
    .sort(([a], [b]) => atWork(a) - atWork(b))
    .map(([s, list]) => {
      const chips = list
        .sort((a, b) => collator.compare(a.callsign, b.callsign))
        .map(
          (u) =>
            `<span class="unit-chip status-${esc(u.status)}${fixAgeText(u).startsWith('STALE') ? ' stale-fix' : ''}" data-unit-id="${esc(u.id)}" data-status="${esc(u.status)}" title="${esc(
              [u.callsign, u.unitType, label(u.status), fixAgeText(u)].filter(Boolean).join(' · '),
            )}">${esc(u.callsign)}${
              canRestore && u.status === 'out_of_service'
                ? ` <button type="button" class="small back-in-service" data-cmd="back-in-service" data-unit-id="${esc(u.id)}" title="${esc(
                    t('units.backInServiceTitle', { callsign: u.callsign }),
                  )}">${esc(t('units.backInService'))}</button>`
                : ''
            }</span>`,
        )
        .join('');
      return `<div class="board-row status-${esc(s)}"><div class="board-status">${esc(label(s))}</div><div class="board-chips">${chips}</div></div>`;
    });
  listEl.innerHTML = rows.length ? rows.join('') : `<span class="muted">${esc(t('units.none'))}</span>`;
}

/** A unit status in a few letters for the counts row (`Enrt` / 途中); an unknown one in full. */
function shortLabel(status: string): string {
  return (UNIT_STATUSES as readonly string[]).includes(status) ? t(`units.short.${status}`) : label(status);
}
