/**
 * Why an incident is held for a dispatcher or not fully dispatched (its `lastError`), as a code with
 * the names and numbers it cites. The server stores the code and its params beside the English text
 * (`incident.last_error_code`, `last_error_params`); a console words the code in its own language and
 * shows the stored text as it is for a code it does not know. Rows written before codes were stored
 * are coded from their text by {@link codedLastError} (two reasons only).
 */
import { REOPENED_HOLD } from './incident-history';

/** The part of the silent-fleet hold's text that marks it (`SILENCE_HOLD` in the API's command chain). */
export const SILENT_FLEET_HOLD = '(phones may be down): task kept';

/** A held incident's reason, coded. `capabilities` and `agencies` are comma-separated names (`engine, truck`). */
export type CodedLastError =
  /** `unit` did not acknowledge while `count` units were already out of service for silence: kept, not replaced. */
  | { code: 'silent_fleet'; params: { unit: string; count: number } }
  /** No unit could fill these response-plan slots (`capabilities`, comma-separated capability names). */
  | { code: 'unfilled'; params: { capabilities: string } }
  /** Unacknowledged tasks of these slots could not be replaced: no free unit. */
  | { code: 'unfilled_unreplaced'; params: { capabilities: string } }
  /** No unit went and no reason more precise is known. */
  | { code: 'no_unit'; params: { capabilities: string } }
  /** No unit went: every unit able to fill the slots is busy or out of service. */
  | { code: 'no_unit_busy'; params: { capabilities: string } }
  /** No unit went: the `count` available units able to fill the slots are cut off by road closures. */
  | { code: 'no_unit_cut_off'; params: { capabilities: string; count: number } }
  /** No unit went: the reachable free units went to more urgent incidents (a joint dispatch round). */
  | { code: 'no_unit_outranked'; params: { capabilities: string } }
  /** The plan's slots were asked of other agencies' posts (`agencies`), which have not accepted yet. */
  | { code: 'agency_waiting'; params: { agencies: string } }
  /** An agency's post declined the request for `capability`, for `reason` (the post's own words). */
  | { code: 'agency_declined'; params: { agency: string; capability: string; reason: string } }
  /** The incident type's response plan names no unit. */
  | { code: 'no_plan'; params: Record<string, never> }
  /** Too many units of these slots did not acknowledge (`held`: each capability and its count): held for a dispatcher. */
  | { code: 'unacknowledged_held'; params: { held: { capability: string; units: number }[] } }
  /** A reopened incident, held until a dispatcher confirms its dispatch. */
  | { code: 'reopened'; params: Record<string, never> };

/** The codes of {@link CodedLastError}. */
export type HeldReasonCode = CodedLastError['code'];

/** What an incident row stores for a held reason: the English text and its code with params (all null: none). */
export interface HeldReasonColumns {
  lastError: string | null;
  lastErrorCode: HeldReasonCode | null;
  lastErrorParams: CodedLastError['params'] | null;
}

/**
 * The `lastError` of an incident held because a unit did not acknowledge while `count` units are
 * already out of service for not acknowledging (the phones are probably down): the task stays with
 * its unit and a dispatcher reaches the crew by radio.
 */
export function silentFleetHoldText(unit: string, count: number): string {
  return heldReasonText({ code: 'silent_fleet', params: { unit, count } });
}

/**
 * The English words of a coded reason, as the server stores them in `incident.last_error` (and as the
 * console's `en` locale words them).
 */
export function heldReasonText(r: CodedLastError): string {
  switch (r.code) {
    case 'silent_fleet':
      return `${r.params.unit} did not acknowledge, and ${r.params.count} units are already out of service for not acknowledging ${SILENT_FLEET_HOLD}; reach the crew by radio and record its status, or assign by hand`;
    case 'unfilled':
      return `unfilled: ${r.params.capabilities}`;
    case 'unfilled_unreplaced':
      return `unfilled: ${r.params.capabilities} (no unit to replace an unacknowledged task)`;
    case 'no_unit':
      return `no available unit could be dispatched (${r.params.capabilities})`;
    case 'no_unit_busy':
      return `no available unit could be dispatched (${r.params.capabilities}): every unit able to fill it is busy or out of service`;
    case 'no_unit_cut_off': {
      const n = r.params.count;
      return `no available unit can reach it by road (${r.params.capabilities}): the ${n} available unit${n > 1 ? 's' : ''} able to fill it ${n > 1 ? 'are' : 'is'} cut off by road closures`;
    }
    case 'no_unit_outranked':
      return `no available unit could be dispatched (${r.params.capabilities}): the free units went to more urgent incidents`;
    case 'agency_waiting':
      return `requested of ${r.params.agencies}: waiting for its post to accept`;
    case 'agency_declined':
      return `the ${r.params.agency} post declined the request for ${r.params.capability}: ${r.params.reason}`;
    case 'no_plan':
      return 'the response plan names no unit';
    case 'unacknowledged_held':
      return `${r.params.held.map((h) => `${h.capability}: ${h.units} units`).join(', ')} did not acknowledge; assign by hand`;
    case 'reopened':
      return REOPENED_HOLD;
  }
}

/**
 * The columns an incident row takes for a held reason: its English text, code and params; all null for
 * none (the hold is over). Spread into an `Incident` update: `{ ...heldReason(r), autoDispatch: false }`.
 */
export function heldReason(r: CodedLastError | null): HeldReasonColumns {
  if (!r) return { lastError: null, lastErrorCode: null, lastErrorParams: null };
  return { lastError: heldReasonText(r), lastErrorCode: r.code, lastErrorParams: r.params };
}

const SILENT_FLEET = /^(\S+) did not acknowledge, and (\d+) units are already out of service for not acknowledging \(phones may be down\): task kept; /;
const UNFILLED = /^unfilled: ([a-z_]+(?:, [a-z_]+)*)$/;

/**
 * The code of a stored `lastError` text (as {@link silentFleetHoldText} or the dispatch round's
 * `unfilled: engine, truck` write it), or null for any other text (shown as it is). Only for rows
 * stored before the code was (`last_error_code` null): a newer row carries its code.
 */
export function codedLastError(text: string | null | undefined): CodedLastError | null {
  if (!text) return null;
  const silent = SILENT_FLEET.exec(text);
  if (silent) return { code: 'silent_fleet', params: { unit: silent[1], count: Number(silent[2]) } };
  const unfilled = UNFILLED.exec(text);
  if (unfilled) return { code: 'unfilled', params: { capabilities: unfilled[1] } };
  return null;
}

/** The params each code cites, and their kind (`held` is a list of `{ capability, units }`). */
const PARAMS: Record<HeldReasonCode, Record<string, 'string' | 'number' | 'held'>> = {
  silent_fleet: { unit: 'string', count: 'number' },
  unfilled: { capabilities: 'string' },
  unfilled_unreplaced: { capabilities: 'string' },
  no_unit: { capabilities: 'string' },
  no_unit_busy: { capabilities: 'string' },
  no_unit_cut_off: { capabilities: 'string', count: 'number' },
  no_unit_outranked: { capabilities: 'string' },
  agency_waiting: { agencies: 'string' },
  agency_declined: { agency: 'string', capability: 'string', reason: 'string' },
  no_plan: {},
  unacknowledged_held: { held: 'held' },
  reopened: {},
};

/**
 * Whether `x` is a reason this code knows, with every param it cites of the right kind: a console
 * words only such a reason, and shows the server's text for anything else (a newer server's code, a
 * damaged row).
 */
export function isCodedLastError(x: unknown): x is CodedLastError {
  if (!x || typeof x !== 'object') return false;
  const { code, params } = x as { code?: unknown; params?: unknown };
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(PARAMS, code) || !params || typeof params !== 'object') return false;
  const p = params as Record<string, unknown>;
  return Object.entries(PARAMS[code as HeldReasonCode]).every(([name, kind]) => {
    const v = p[name];
    if (kind === 'held') return Array.isArray(v) && v.every((h) => !!h && typeof h === 'object' && typeof h.capability === 'string' && typeof h.units === 'number');
    return typeof v === kind;
  });
}

/**
 * An incident's coded reason as its view shows it: the stored code and params when the row has them
 * (and they are whole: {@link isCodedLastError}), else the code read from its text ({@link codedLastError},
 * an older row), else null.
 */
export function storedHeldReason(row: HeldReasonColumns): CodedLastError | null {
  if (!row.lastErrorCode) return codedLastError(row.lastError);
  const coded = { code: row.lastErrorCode, params: row.lastErrorParams ?? {} };
  return isCodedLastError(coded) ? coded : codedLastError(row.lastError);
}
