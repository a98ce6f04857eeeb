/**
 * Positions to trust, in the console (pure parts): each unit's fix age (stale past 120 s, as the
 * server's `AVL_STALE_S` default), and the incident card's location block (an incident whose typed
 * address and device location disagree: confirm or move; moving an incident after dispatch).
 */
import { esc } from './format';
import { t } from './i18n';
import type { Incident, Unit } from './types';

/** A fix older than this is stale, seconds (the server's `AVL_STALE_S` default). */
export const STALE_FIX_S = 120;

/** Age of a unit's fix in words (`fix 35 s old`, `STALE fix 21 min old`), or '' when it never sent one. */
export function fixAgeText(u: Unit, now = Date.now()): string {
  if (!u.fixAt) return '';
  const s = Math.max(0, Math.round((now - Date.parse(u.fixAt)) / 1000));
  const age = s < 120 ? t('positions.seconds', { n: s }) : s < 7200 ? t('positions.minutes', { n: Math.round(s / 60) }) : t('positions.hours', { n: Math.round(s / 3600) });
  return t(s > STALE_FIX_S ? 'positions.staleFix' : 'positions.fix', { age });
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
      `<p class="warn location-unconfirmed">${esc(
        t('positions.unconfirmed', { lat: d.lat.toFixed(5), lon: d.lon.toFixed(5), accuracy: d.accuracyM != null ? t('positions.accuracy', { m: Math.round(d.accuracyM) }) : '' }),
      )}${
        canChange
          ? ` <button type="button" class="small" data-cmd="location-confirm">${esc(t('positions.addressIsRight'))}</button> <button type="button" class="small" data-cmd="location-to-device">${esc(t('positions.moveToDevice'))}</button>`
          : ''
      }</p>`,
    );
  }
  parts.push(...roadWarnings(inc));
  if (canChange) parts.push(`<button type="button" class="small" data-cmd="location-change" title="${esc(t('positions.changeTitle'))}">${esc(t('positions.change'))}</button>`);
  return parts.length ? `<div class="location-block">${parts.join(' ')}</div>` : '';
}

/** Metres between an incident and its access point beyond which the card warns that no mapped road is near (the roadway reach). */
export const OFF_NETWORK_M = 300;

/**
 * The card's warnings about where units are sent on the road network: a named roadway that is not
 * there (placed as an address instead), an incident farther than {@link OFF_NETWORK_M} from any mapped
 * road (outside the road data: the ETA ends at that road), and road closures that stop units short (the
 * ETA ends where they stop; the rest is on foot).
 */
export function roadWarnings(inc: Incident): string[] {
  const a = inc.access;
  if (!a) return [];
  const out: string[] = [];
  if (a.roadwayNotFound) out.push(`<p class="warn roadway-not-found">${esc(t('positions.roadwayNotFound', { roadway: a.roadwayNotFound, road: a.road ?? '?' }))}</p>`);
  if (a.distanceMetres > OFF_NETWORK_M) out.push(`<p class="warn off-network">${esc(t('positions.offNetwork', { m: Math.round(a.distanceMetres), road: a.road ?? '?' }))}</p>`);
  if (a.besideClosure) out.push(`<p class="warn beside-closure">${esc(t('positions.besideClosure', { m: Math.round(a.besideClosure.remainingMetres) }))}</p>`);
  return out;
}

/** Whether a card command is one of this module's. */
export function isLocationCommand(cmd: string): boolean {
  return cmd === 'location-confirm' || cmd === 'location-to-device' || cmd === 'location-change';
}
