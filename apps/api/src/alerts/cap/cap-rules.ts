import type { CapAlert } from './cap-message';

/** A CAP date-time with its offset and no fractions (`2026-12-04T02:00:00-07:00`): CAP 1.2 §3.3.2. */
const CAP_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
/** identifier and sender: no spaces, commas or restricted characters (CAP 1.2 §3.2.1). */
const CAP_NAME = /^[^\s,<&]+$/;

/** Wireless Emergency Alerts carry at most this many polygon vertices (47 CFR §10.450 / ATIS-0700037). */
export const WEA_MAX_VERTICES = 100;

/** One broken rule: the CAP element (as a path, `info[0].area[1].polygon[0]`) and why. */
export interface CapRuleError {
  field: string;
  message: string;
}

function checkTime(errors: CapRuleError[], field: string, v: string | undefined): number | null {
  if (v === undefined) return null;
  if (!CAP_DATE_TIME.test(v)) {
    errors.push({ field, message: `must be a date-time with its offset and no fractions (2026-12-04T02:00:00-00:00), never Z; got ${v.slice(0, 40)}` });
    return null;
  }
  if (v.endsWith('+00:00')) errors.push({ field, message: 'UTC is written -00:00 in CAP, not +00:00' });
  const t = Date.parse(v);
  if (Number.isNaN(t)) {
    errors.push({ field, message: `is not a real date-time (${v})` });
    return null;
  }
  return t;
}

/**
 * The rules of CAP 1.2 the XML schema cannot state, for a message this system writes:
 * - `sent`, `effective`, `expires` carry an offset, never `Z`, and UTC as `-00:00` (§3.3.2);
 * - `expires` is after `effective` (or after `sent` when there is no `effective`);
 * - a polygon is closed (first point = last) with at least 4 points, each `lat,lon` WGS84 degrees in
 *   range (§3.2.4), and (so that it can reach phones) at most {@link WEA_MAX_VERTICES} points;
 * - a circle has a positive radius (km) and a centre in range;
 * - `identifier` and `sender` have no spaces, commas, `<` or `&` (§3.2.1);
 * - an `Update` or `Cancel` carries `references`, each `sender,identifier,sent`;
 * - every `info` has at least one `area` with a polygon or a circle.
 * @returns the broken rules, each naming the CAP element; empty when the message keeps them all
 */
export function capRuleErrors(a: CapAlert): CapRuleError[] {
  const errors: CapRuleError[] = [];
  if (!CAP_NAME.test(a.identifier)) errors.push({ field: 'identifier', message: 'must not contain spaces, commas, < or &' });
  if (!CAP_NAME.test(a.sender)) errors.push({ field: 'sender', message: 'must not contain spaces, commas, < or &' });
  const sent = checkTime(errors, 'sent', a.sent);
  if (a.msgType === 'Update' || a.msgType === 'Cancel') {
    const refs = (a.references ?? '').trim().split(/\s+/).filter(Boolean);
    if (!refs.length) errors.push({ field: 'references', message: `an ${a.msgType} must reference the message it ${a.msgType === 'Update' ? 'updates' : 'cancels'}` });
    for (const r of refs) if (r.split(',').length !== 3) errors.push({ field: 'references', message: `each reference is sender,identifier,sent (got ${r.slice(0, 80)})` });
  }
  if (!a.infos.length && a.msgType !== 'Cancel') errors.push({ field: 'info', message: 'at least one info block is required' });
  a.infos.forEach((info, i) => {
    const effective = checkTime(errors, `info[${i}].effective`, info.effective);
    const expires = checkTime(errors, `info[${i}].expires`, info.expires);
    const from = effective ?? sent;
    if (expires !== null && from !== null && expires <= from) {
      errors.push({ field: `info[${i}].expires`, message: `must be after ${effective !== null ? 'effective' : 'sent'} (${info.effective ?? a.sent})` });
    }
    if (!info.areas.length) errors.push({ field: `info[${i}].area`, message: 'at least one area is required' });
    info.areas.forEach((area, j) => {
      const at = `info[${i}].area[${j}]`;
      if (!area.polygons.length && !area.circles.length && !area.geocodes?.length) errors.push({ field: at, message: 'needs a polygon, a circle or a geocode' });
      area.polygons.forEach((ring, k) => {
        const f = `${at}.polygon[${k}]`;
        if (ring.length < 4) errors.push({ field: f, message: `needs at least 4 points (3 corners and the first again), got ${ring.length}` });
        if (ring.length > WEA_MAX_VERTICES) errors.push({ field: f, message: `has ${ring.length} points; phones (WEA) take at most ${WEA_MAX_VERTICES}` });
        const bad = ring.findIndex(([lat, lon]) => !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180);
        if (bad >= 0) errors.push({ field: f, message: `point ${bad} is not lat,lon in WGS84 degrees (lat -90..90, lon -180..180): check the order` });
        const [first, last] = [ring[0], ring[ring.length - 1]];
        if (ring.length && (first[0] !== last[0] || first[1] !== last[1])) errors.push({ field: f, message: 'must be closed: the last point must repeat the first' });
      });
      area.circles.forEach((c, k) => {
        const f = `${at}.circle[${k}]`;
        if (!(c.radiusKm > 0) || !Number.isFinite(c.radiusKm)) errors.push({ field: f, message: `needs a radius in km greater than 0 (got ${c.radiusKm})` });
        if (!(Math.abs(c.lat) <= 90) || !(Math.abs(c.lon) <= 180)) errors.push({ field: f, message: 'centre is not lat,lon in WGS84 degrees' });
      });
    });
  });
  return errors;
}
