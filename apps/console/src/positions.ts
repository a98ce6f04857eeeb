/**
 * Positions to trust, in the console (pure parts): each unit's fix age (stale past 120 s, as the
 * server's `AVL_STALE_S` default), and the incident card's location block (an incident whose typed
 * address and device location disagree: confirm or move; moving an incident after dispatch).
 */
import type { Incident, Unit } from './types';

/** A fix older than this is stale, seconds (the server's `AVL_STALE_S` default). */
export const STALE_FIX_S = 120;

/** Age of a unit's fix in words (`fix 35 s old`, `STALE fix 21 min old`), or '' when it never sent one. */
export function fixAgeText(u: Unit, now = Date.now()): string {
  if (!u.fixAt) return '';
  const s = Math.max(0, Math.round((now - Date.parse(u.fixAt)) / 1000));
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `${s > STALE_FIX_S ? 'STALE fix' : 'fix'} ${age} old`;
}

/** Records the time of a live AVL position on the unit (the server sends only accepted fixes). */
export function noteFix(u: Unit | undefined, at: string): void {
  if (u && (!u.fixAt || Date.parse(at) > Date.parse(u.fixAt))) u.fixAt = at;
}

/** The incident card's location block: the mismatch warning with its actions, and the move action. */
export function locationHtml(inc: Incident, canChange: boolean): string {
  const parts: string[] = [];
  if (inc.locationUnconfirmed && inc.devicePoint) {
    const d = inc.devicePoint;
    parts.push(
      `<p class="warn location-unconfirmed">LOCATION UNCONFIRMED: the caller's device was at ${d.lat.toFixed(5)}, ${d.lon.toFixed(5)}${
        d.accuracyM != null ? ` (±${Math.round(d.accuracyM)} m)` : ''
      }, away from the typed address; units go to the address (device point drawn hollow).${
        canChange
          ? ` <button type="button" class="small" data-cmd="location-confirm">Address is right</button> <button type="button" class="small" data-cmd="location-to-device">Move to device point</button>`
          : ''
      }</p>`,
    );
  }
  if (canChange) parts.push(`<button type="button" class="small" data-cmd="location-change" title="Move the incident: crews are alerted">Change location</button>`);
  return parts.length ? `<div class="location-block">${parts.join(' ')}</div>` : '';
}

/** Whether a card command is one of this module's. */
export function isLocationCommand(cmd: string): boolean {
  return cmd === 'location-confirm' || cmd === 'location-to-device' || cmd === 'location-change';
}
