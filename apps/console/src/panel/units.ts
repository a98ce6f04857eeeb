/** Unit board: count per status and a compact callsign grid coloured by status. */
import { esc, label } from '../format';
import type { Unit } from '../types';
import { UNIT_STATUSES } from '../types';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Re-render the status counts into `countsEl` and the unit grid into `listEl`. */
export function renderUnitBoard(countsEl: HTMLElement, listEl: HTMLElement, units: Map<string, Unit>): void {
  const counts = new Map<string, number>(UNIT_STATUSES.map((s) => [s, 0]));
  for (const u of units.values()) counts.set(u.status, (counts.get(u.status) ?? 0) + 1);
  countsEl.innerHTML = [...counts]
    .map(
      ([s, n]) =>
        `<div class="ucount status-${esc(s)}" title="${esc(label(s))}"><span class="dot"></span><span class="n">${n}</span><span class="k">${esc(
          shortLabel(s),
        )}</span></div>`,
    )
    .join('');
  const sorted = [...units.values()].sort((a, b) => collator.compare(a.callsign, b.callsign));
  listEl.innerHTML = sorted.length
    ? sorted
        .map(
          (u) =>
            `<span class="unit-chip status-${esc(u.status)}" data-unit-id="${esc(u.id)}" title="${esc(u.callsign)} · ${esc(
              u.unitType,
            )} · ${esc(label(u.status))}">${esc(u.callsign)}</span>`,
        )
        .join('')
    : '<span class="muted">No units</span>';
}

function shortLabel(status: string): string {
  switch (status) {
    case 'available':
      return 'Avail';
    case 'dispatched':
      return 'Disp';
    case 'en_route':
      return 'Enrt';
    case 'on_scene':
      return 'OnSc';
    case 'out_of_service':
      return 'OOS';
    default:
      return status;
  }
}
