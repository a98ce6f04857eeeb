/** Small formatting helpers shared by the panel and map popups: text, times and numbers in the locale shown. */
import { type CodedLastError, isCodedLastError } from '@cad/domain/held-reasons';
import { has, list, locale, onLocaleChange, t } from './i18n';

/** Escape text for safe interpolation into HTML. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** Explicit bidi formatting characters that open a scope: embeddings and overrides (LRE RLE LRO RLO). */
const BIDI_EMBEDDINGS = new Set(['\u202A', '\u202B', '\u202D', '\u202E']);
/** Isolate initiators (LRI RLI FSI). */
const BIDI_ISOLATES = new Set(['\u2066', '\u2067', '\u2068']);
const PDF = '\u202C';
const PDI = '\u2069';
/** Characters that end a bidi paragraph (every embedding and isolate ends with it). */
const PARAGRAPH_SEPARATORS = /[\n\r\u001C-\u001E\u0085\u2029]/;

/**
 * Balances the bidi controls of a string from the server (U+202A–U+202E, U+2066–U+2069) so that none of
 * them acts outside it: a closing PDF or PDI with nothing of its own to close is dropped (it would close
 * the isolate the string is shown in), and every embedding, override or isolate left open is closed at
 * the end of the string (and of each line). Text and balanced controls are kept as they are.
 */
export function balanceBidi(text: string): string {
  let out = '';
  let open: string[] = []; // 'E' embedding/override, 'I' isolate, innermost last
  const closeAll = (): string => open.reverse().map((k) => (k === 'E' ? PDF : PDI)).join('');
  for (const ch of text) {
    if (BIDI_EMBEDDINGS.has(ch)) open.push('E');
    else if (BIDI_ISOLATES.has(ch)) open.push('I');
    else if (ch === PDF) {
      if (open[open.length - 1] !== 'E') continue;
      open.pop();
    } else if (ch === PDI) {
      const i = open.lastIndexOf('I');
      if (i < 0) continue;
      open = open.slice(0, i); // a PDI also closes the embeddings opened inside its isolate
    } else if (PARAGRAPH_SEPARATORS.test(ch)) {
      out += closeAll();
      open = [];
    }
    out += ch;
  }
  return out + closeAll();
}

/**
 * Escapes user-supplied text (incident type, address, notes, names, reasons) for HTML and shows it in
 * its own `<bdi>`, with its bidi controls balanced: whatever direction marks it carries, it cannot
 * reorder the text around it.
 */
export function bdi(value: unknown): string {
  return `<bdi>${esc(balanceBidi(String(value ?? '')))}</bdi>`;
}

/**
 * The plain-text form of {@link bdi}, for `textContent` (toasts, messages): the string, balanced,
 * between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
 */
export function isolateText(value: unknown): string {
  return `\u2068${balanceBidi(String(value ?? ''))}${PDI}`;
}

/**
 * Tagged template for one line of HTML: the literal text is escaped, and each value interpolated is
 * escaped and isolated ({@link bdi}).
 */
export function isolatedHtml(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((html, s, i) => html + esc(s) + (i < values.length ? bdi(values[i]) : ''), '');
}

/**
 * Format an age in ms: mm:ss under an hour, `1h05m` under a day, `3d04h` beyond (a replayed historical
 * call is years old), the units in the locale shown (`1时05分`). Negative clamps to 00:00.
 */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total >= 86400) return t('age.daysHours', { d: Math.floor(total / 86400), h: pad(Math.floor((total % 86400) / 3600)) });
  if (total >= 3600) return t('age.hoursMinutes', { h: Math.floor(total / 3600), m: pad(Math.floor((total % 3600) / 60)) });
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** Format an ETA in seconds as m:ss, or an em dash when unknown. */
export function eta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** What the ETA of a task needs: its status, ETA at dispatch and the turnout it counts (issue 20). */
export interface EtaOf {
  status: string;
  etaSeconds: number | null;
  turnoutSeconds?: number | null;
  dispatchedAt?: string;
  enRouteAt?: string | null;
}

/**
 * Seconds left until a task's unit arrives at `now` (ms since the epoch): until en route, the ETA
 * counted from dispatch (turnout + travel); en route, the modelled travel counted from en route;
 * null once on scene (or later) or when unknown. Never below 0 (a late unit shows 0:00).
 */
export function etaLeft(a: EtaOf, now: number): number | null {
  if (a.etaSeconds === null || a.etaSeconds === undefined || a.etaSeconds < 0 || !Number.isFinite(a.etaSeconds)) return null;
  if (a.status === 'en_route') {
    const travel = a.etaSeconds - (a.turnoutSeconds ?? 0);
    return a.enRouteAt ? Math.max(0, travel - (now - Date.parse(a.enRouteAt)) / 1000) : travel;
  }
  if (a.status !== 'dispatched' && a.status !== 'acknowledged') return null;
  return a.dispatchedAt ? Math.max(0, a.etaSeconds - (now - Date.parse(a.dispatchedAt)) / 1000) : a.etaSeconds;
}

/**
 * A task's ETA as the console shows it: "ETA 3:15 (turnout 1:10 + travel 2:05)" before the crew is
 * en route, "ETA 2:05" en route; the parts are left out for tasks recorded before turnout was.
 */
export function etaText(a: EtaOf): string {
  if (a.etaSeconds === null || a.etaSeconds < 0) return t('common.eta', { eta: eta(null) });
  if (a.turnoutSeconds === null || a.turnoutSeconds === undefined || a.status === 'en_route') {
    return t('common.eta', { eta: eta(a.status === 'en_route' ? a.etaSeconds - (a.turnoutSeconds ?? 0) : a.etaSeconds) });
  }
  return t('common.etaParts', { eta: eta(a.etaSeconds), turnout: eta(a.turnoutSeconds), travel: eta(a.etaSeconds - a.turnoutSeconds) });
}

/**
 * A task's ETA counting down at `now` (ms since the epoch), as one line: before en route "ETA 3:15
 * (turnout 1:10 + travel 2:05)", the turnout part counting down first and the travel part once the
 * turnout is spent (a crew late to leave), so the parts always add up to the ETA; en route (or a task
 * recorded before turnout was) "ETA 2:05"; "ETA overdue" once the estimate has run out (a late unit, a
 * task never acknowledged: never "ETA 0:00"); '' when there is no route estimate or {@link etaLeft} has
 * none (on scene, unknown).
 */
export function etaLeftText(a: EtaOf, now: number): string {
  // No route estimate (none recorded, or zero): nothing to count down, never a fake 0:00.
  if (!a.etaSeconds || a.etaSeconds <= 0) return '';
  const left = etaLeft(a, now);
  if (left === null) return '';
  // The estimate has run out (the unit is late, or never acknowledged): say so instead of 0:00.
  if (left <= 0) return t('common.etaOverdue');
  if (a.status === 'en_route' || a.turnoutSeconds === null || a.turnoutSeconds === undefined || a.etaSeconds === null) return t('common.eta', { eta: eta(left) });
  const travel = Math.min(left, Math.max(0, a.etaSeconds - a.turnoutSeconds));
  return t('common.etaParts', { eta: eta(left), turnout: eta(left - travel), travel: eta(travel) });
}

/** How a counting-down ETA is shown: `line` as {@link etaLeftText} (the incident card), `short` as "2:05" (a queue row). */
export type EtaForm = 'line' | 'short';

/**
 * A task's ETA at `now` (ms since the epoch) in the form given: `line` is {@link etaLeftText}, or
 * {@link etaText} when the task has no route estimate ("ETA —"); `short` is the time left ("2:05"),
 * "overdue" once it has run out, or the recorded estimate when none is counted ("—").
 */
export function etaNowText(a: EtaOf, now: number, form: EtaForm): string {
  if (form === 'line') return etaLeftText(a, now) || etaText(a);
  const left = a.etaSeconds ? etaLeft(a, now) : null;
  if (left === null) return eta(a.etaSeconds);
  return left <= 0 ? t('common.etaOverdueShort') : eta(left);
}

/**
 * A span showing a task's ETA counting down: its text now, and data attributes from which
 * {@link tickEtas} counts it down each second on the incident's clock (a drill's own for an exercise
 * incident).
 * @param clock the incident's `exercise` flag and drill run id (see `nowFor`)
 * @param cls the span's class besides `eta-left` (e.g. `muted`)
 */
export function etaSpan(a: EtaOf, clock: { exercise: boolean; drillId?: string | null }, form: EtaForm, now: number, cls = ''): string {
  const attr = (k: string, v: string | number | null | undefined) => (v === null || v === undefined ? '' : ` data-${k}="${esc(String(v))}"`);
  return `<span class="eta-left${cls ? ` ${cls}` : ''}" data-form="${form}" data-status="${esc(a.status)}"${attr('eta', a.etaSeconds)}${attr('turnout', a.turnoutSeconds)}${attr(
    'dispatched-at',
    a.dispatchedAt,
  )}${attr('en-route-at', a.enRouteAt)}${clock.exercise ? ' data-exercise="1"' : ''}${attr('drill', clock.drillId)}>${esc(etaNowText(a, now, form))}</span>`;
}

/** The task an {@link etaSpan} was drawn from, read back from its data attributes. */
export function etaOfSpan(el: HTMLElement): EtaOf {
  const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
  return { status: el.dataset.status ?? '', etaSeconds: num(el.dataset.eta), turnoutSeconds: num(el.dataset.turnout), dispatchedAt: el.dataset.dispatchedAt, enRouteAt: el.dataset.enRouteAt ?? null };
}

/** The city's time zone (IANA name), or undefined while the server has not said (or names none). */
let zone: string | undefined;
/** Whether the server said which time zone to show (until then the browser's zone is not the city's). */
let zoneKnown = false;
let zoneFormat: Intl.DateTimeFormat | null = null;
let dateTimeFormat: Intl.DateTimeFormat | null = null;

/** Builds the formats for the zone and the locale shown (again after a change of locale). */
function buildFormats(): void {
  const make = (options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
    try {
      return new Intl.DateTimeFormat(locale(), { ...options, timeZone: zone });
    } catch {
      return new Intl.DateTimeFormat(locale(), options); // a zone this browser does not know
    }
  };
  zoneFormat = make({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  dateTimeFormat = make({ dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
}
onLocaleChange(buildFormats);

/** Shows every time in the city's time zone (IANA name from `GET /api/state`), not the browser's. */
export function setTimeZone(timeZone: string | undefined): void {
  zoneKnown = true; // an older server names none: its times are shown in the browser's zone
  zone = timeZone || undefined;
  buildFormats();
}

/** Format epoch ms as HH:MM:SS (24-hour, the locale's digits and separators) in the city's time zone (the browser's until it is known). */
export function hms(ms: number): string {
  if (!zoneFormat) buildFormats();
  return zoneFormat!.format(new Date(ms));
}

/** Format epoch ms as a date and time in the locale shown, in the city's time zone (`4 Dec 2026, 14:05` / `2026年12月4日 14:05`). */
export function dateTime(ms: number): string {
  if (!dateTimeFormat) buildFormats();
  return dateTimeFormat!.format(new Date(ms));
}

/**
 * The wall clock as HH:MM:SS in the city's time zone, or null while the server has not said which zone
 * that is (before sign-in): the header shows no time rather than the browser's.
 */
export function cityTime(ms: number): string | null {
  return zoneKnown ? hms(ms) : null;
}

/** A message for a value from a closed list (`status.en_route`), or `fallback` when no locale names it. */
function named(prefix: string, value: string, fallback: string): string {
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : fallback;
}

/** A status (incident, assignment or unit: `en_route`) in the locale shown: `en route` / `途中`. */
export function label(status: string): string {
  return named('status', status, status.replace(/_/g, ' '));
}

/**
 * A unit type (`ENGINE`, `RESCUE SQUAD`, as the city's data writes it) in the locale shown: `Engine` /
 * `消防车`; a type the locale does not name in sentence case (`HAZMAT` → `Hazmat`).
 */
export function unitTypeLabel(unitType: string | null | undefined): string {
  const key = String(unitType ?? '').trim().toUpperCase();
  if (!key) return '';
  const lower = key.toLowerCase().replace(/[_.-]+/g, ' ');
  return named('unitType', key.replace(/ /g, '_'), lower[0].toUpperCase() + lower.slice(1));
}

/**
 * A unit's type and the capability it was sent for, as the task line of the incident card shows them
 * (`MEDIC`, `als` → "Medic · ALS"): the capability is left out when the type's name already says it
 * (`PRIVATE`, `ambulance` → "Private ambulance", not "Private ambulance ambulance"; `ENGINE`, `engine`
 * → "Engine"), compared without case in the locale shown.
 *
 * @returns `{ type, capability }`, each label in the locale shown; `capability` '' when repeated
 */
export function unitTypeAndCapability(unitType: string | null | undefined, capability: string): { type: string; capability: string } {
  const type = unitTypeLabel(unitType);
  const cap = capabilityLabel(capability);
  return { type, capability: cap && type.toLocaleLowerCase().includes(cap.toLocaleLowerCase()) ? '' : cap };
}

/** A station by its number, as crews say it (`st-38` → "Station 38"); an id without a number as "Station" + id. */
export function stationLabel(stationId: string): string {
  const n = /(\d+)$/.exec(stationId)?.[1];
  return t('units.station', { station: n ?? stationId.replace(/^st-/, '') });
}

/** A capability (`engine`, `als`) in the locale shown; an unknown one as it is. */
export function capabilityLabel(capability: string): string {
  return named('capability', capability, capability.replace(/_/g, ' '));
}

/** A command-chain tier or jurisdiction level (`city`, `district`, `street`) in the locale shown (市, 区县, 街镇). */
export function tierLabel(tier: string): string {
  return named('term', tier, tier);
}

/**
 * Why a crew cancelled its task (cleared it before on scene): one of the domain's `TASK_CANCEL_REASONS`
 * (`not_needed`) in the locale shown, in the words of the phone's reason buttons; an unknown code as
 * words (`not needed`).
 */
export function taskCancelReason(code: string): string {
  return has(`responder.cancel.reason.${code}`) ? t(`responder.cancel.reason.${code}`) : code.replace(/_/g, ' ');
}

/** Why an incident moved up or down the command chain: a reason code (`plan_not_coverable`) in the locale shown; a dispatcher's own words as they are. */
export function escalationReason(reason: string): string {
  return named('escalationReason', reason, reason);
}

/**
 * An incident or call type in the locale shown: a type of the city's data (`Medical Incident`) by its
 * translation, any other title-cased (`structure_fire` → `Structure fire`).
 */
export function typeLabel(type: string): string {
  const t = type.replace(/[_.-]+/g, ' ').trim();
  return named('callType', type, t ? t[0].toUpperCase() + t.slice(1) : '?');
}

export const PRIORITY_COLOURS: Record<number, string> = { 1: '#e5484d', 2: '#f76b15', 3: '#e2c541' };

export const STATUS_COLOURS: Record<string, string> = {
  available: '#30a46c',
  dispatched: '#f5a524',
  en_route: '#3e8ed0',
  acknowledged: '#e8a33d',
  on_scene: '#9d5bd2',
  transporting: '#d6409f',
  at_hospital: '#c2298a',
  returning: '#5eb1a0',
  out_of_service: '#7a7f87',
};

/**
 * Why an incident is held or not fully dispatched, in the locale shown: its coded reason in our words
 * (`E44 未确认，且已有 5 个单位…`), else the server's stored text as it is (a reason with no code, an
 * older server); null when there is none.
 */
export function lastErrorText(inc: { lastError: string | null; lastErrorCoded?: CodedLastError | null }): string | null {
  const coded = inc.lastErrorCoded;
  // A code this console does not know (a newer server) is shown in the server's words.
  if (!isCodedLastError(coded) || !(has(`heldReason.${coded.code}`) || has(`heldReason.${coded.code}_other`))) return inc.lastError;
  const capabilities = (names: string) => list(names.split(', ').map(capabilityLabel));
  const key = `heldReason.${coded.code}`;
  switch (coded.code) {
    case 'silent_fleet':
      return t(key, coded.params);
    case 'unfilled':
    case 'unfilled_unreplaced':
    case 'no_unit':
    case 'no_unit_busy':
    case 'no_unit_outranked':
      return t(key, { capabilities: capabilities(coded.params.capabilities) });
    case 'no_unit_cut_off':
      return t(key, { capabilities: capabilities(coded.params.capabilities), count: coded.params.count });
    case 'agency_waiting':
      return t(key, { agencies: list(coded.params.agencies.split(', ').map(agencyLabel)) });
    case 'agency_declined':
      return t(key, { agency: agencyLabel(coded.params.agency), capability: capabilityLabel(coded.params.capability), reason: coded.params.reason });
    case 'unacknowledged_held':
      return t(key, { held: list(coded.params.held.map((h) => t('heldReason.heldUnits', { capability: capabilityLabel(h.capability), count: h.units }))) });
    case 'no_plan':
    case 'reopened':
      return t(key);
    default:
      return inc.lastError;
  }
}

/** An agency (`police`, `water_utility`) in the locale shown; an unknown one as it is. */
export function agencyLabel(agency: string): string {
  return named('agencyName', agency, agency.replace(/_/g, ' '));
}

/** Why the import put a unit out of service, in words; '' for every other unit (an unknown reason as stored). */
export function importedOutText(u: { status: string; importedOut?: string | null }): string {
  if (u.status !== 'out_of_service' || !u.importedOut) return '';
  return t(`units.importedOut.${u.importedOut}`, { defaultValue: u.importedOut });
}

/**
 * A jurisdiction's name as the city's data gives it, in the locale shown: a numbered district
 * (`District 3`, San Francisco's supervisor districts) is worded by the locale (`第3区`); a street's or
 * neighborhood's proper name (`North Beach`) is kept as it is.
 */
export function placeName(name: string | null | undefined): string {
  const n = String(name ?? '');
  const m = /^District (\d+)$/.exec(n);
  return m && has('placeName.district') ? t('placeName.district', { n: m[1] }) : n;
}
