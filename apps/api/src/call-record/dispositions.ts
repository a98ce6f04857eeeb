/**
 * Disposition codes (issue 26): how a call for service ended, chosen from a configurable list
 * (`DISPOSITION_CODES`) when an incident is closed. A code is upper-case letters, digits and `-`;
 * the console shows its translation (`disposition.<CODE>`) or the code itself.
 */

/** A code's shape. */
export const DISPOSITION_CODE = /^[A-Z0-9][A-Z0-9-]{0,39}$/;

/**
 * Parses a comma-separated list of codes (`"TRANSPORTED, FALSE-ALARM"`): trimmed, upper-cased,
 * repeats dropped, order kept.
 * @throws Error naming the code that is not letters, digits and `-` (at most 40 characters), or when the list is empty
 */
export function parseDispositionCodes(list: string): string[] {
  const codes = [...new Set(list.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))];
  const bad = codes.find((c) => !DISPOSITION_CODE.test(c));
  if (bad) throw new Error(`DISPOSITION_CODES: "${bad}" is not a code (letters, digits and -, at most 40)`);
  if (!codes.length) throw new Error('DISPOSITION_CODES: the list is empty');
  return codes;
}

/**
 * The disposition stored on a closed incident: `"<CODE>"` or `"<CODE>: <note>"`.
 * @param code one of `codes` (compared case-insensitively)
 * @returns the stored text, or an error message naming `dispositionCode` when the code is missing or not in the list
 */
export function dispositionText(codes: readonly string[], code: string | undefined, note: string | null | undefined): { text: string } | { error: string } {
  if (!code || !code.trim()) return { error: `dispositionCode is required to close an incident: one of ${codes.join(', ')}` };
  const c = code.trim().toUpperCase();
  if (!codes.includes(c)) return { error: `dispositionCode "${code}" is not one of ${codes.join(', ')}` };
  const n = note?.trim();
  return { text: n ? `${c}: ${n}` : c };
}
