/**
 * Why an incident is held for a dispatcher (its `lastError`), as a code with the names and numbers it
 * cites, beside the English text the server stores: a console words the code in its own language, and
 * shows the stored text as it is for a reason it does not know (or a row written before codes were).
 */

/** The part of the silent-fleet hold's text that marks it (`SILENCE_HOLD` in the API's command chain). */
export const SILENT_FLEET_HOLD = '(phones may be down): task kept';

/** A held incident's reason, coded. */
export type CodedLastError =
  /** `unit` did not acknowledge while `count` units were already out of service for silence: kept, not replaced. */
  | { code: 'silent_fleet'; params: { unit: string; count: number } }
  /** No unit could fill these response-plan slots (`capabilities`, comma-separated capability names). */
  | { code: 'unfilled'; params: { capabilities: string } };

/**
 * The `lastError` of an incident held because a unit did not acknowledge while `count` units are
 * already out of service for not acknowledging (the phones are probably down): the task stays with
 * its unit and a dispatcher reaches the crew by radio.
 */
export function silentFleetHoldText(unit: string, count: number): string {
  return `${unit} did not acknowledge, and ${count} units are already out of service for not acknowledging ${SILENT_FLEET_HOLD}; reach the crew by radio and record its status, or assign by hand`;
}

const SILENT_FLEET = /^(\S+) did not acknowledge, and (\d+) units are already out of service for not acknowledging \(phones may be down\): task kept; /;
const UNFILLED = /^unfilled: ([a-z_]+(?:, [a-z_]+)*)$/;

/**
 * The code of a stored `lastError` text (as {@link silentFleetHoldText} or the dispatch round's
 * `unfilled: engine, truck` write it), or null for any other text (shown as it is).
 */
export function codedLastError(text: string | null | undefined): CodedLastError | null {
  if (!text) return null;
  const silent = SILENT_FLEET.exec(text);
  if (silent) return { code: 'silent_fleet', params: { unit: silent[1], count: Number(silent[2]) } };
  const unfilled = UNFILLED.exec(text);
  if (unfilled) return { code: 'unfilled', params: { capabilities: unfilled[1] } };
  return null;
}
