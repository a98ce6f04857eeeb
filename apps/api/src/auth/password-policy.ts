import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as bcrypt from 'bcryptjs';
import { BCRYPT_COST } from '@cad/db';
import { InvalidInput } from '../common/errors';

/** Shortest password accepted, characters (NIST SP 800-63B §3.1.1.2 asks at least 8; staff accounts here get 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted, UTF-8 bytes: bcrypt reads only the first 72 bytes, so a longer one would be silently cut. */
export const MAX_PASSWORD_BYTES = 72;
/** Lowest zxcvbn score accepted (0..4; 3 = "safely unguessable: moderate protection from offline slow-hash attacks"). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * zxcvbn with the common-passwords list (the breached-list style check, offline) and English words and
 * names, loaded at the first password set, not at start: its dictionaries are about 24 MB of the API's
 * heap (a quarter of it), which every full garbage collection would mark while calls are taken, for
 * something done a few times a day.
 */
let zxcvbn: Promise<ZxcvbnFactory> | null = null;
function estimator(): Promise<ZxcvbnFactory> {
  zxcvbn ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        translations: en.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...en.dictionary },
        useLevenshteinDistance: true,
      }),
  );
  return zxcvbn;
}

/**
 * Checks a new password against the rules: {@link MIN_PASSWORD_LENGTH} characters to
 * {@link MAX_PASSWORD_BYTES} bytes, and a zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength
 * Estimation", USENIX Security 2016) score of at least {@link MIN_PASSWORD_SCORE} against common and
 * leaked passwords, English words and names, keyboard patterns, and the account's own words (its
 * username, display name, the system's name, the demo password), which also refuses the demo password.
 * @param field the request field named in the error (`password`)
 * @throws InvalidInput (400) naming the field and why, with zxcvbn's suggestion (the promise rejects)
 */
export async function assertStrongPassword(password: string, context: { username?: string; displayName?: string; demoPassword: string }, field = 'password'): Promise<void> {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new InvalidInput(`${field} must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) throw new InvalidInput(`${field} must have at most ${MAX_PASSWORD_BYTES} bytes (bcrypt reads no further)`);
  if (password === context.demoPassword) throw new InvalidInput(`${field} is the demo password`);
  const inputs = [context.username, context.displayName, context.demoPassword, 'dispatch', 'commander', 'city', 'cad', 'emergency', 'sanfrancisco'].filter((s): s is string => !!s);
  const r = (await estimator()).check(password, inputs);
  if (r.score < MIN_PASSWORD_SCORE) {
    const why = [r.feedback.warning, ...r.feedback.suggestions].filter(Boolean).join(' ');
    throw new InvalidInput(`${field} is too easy to guess (strength ${r.score} of 4, at least ${MIN_PASSWORD_SCORE} needed)${why ? `: ${why}` : ''}`);
  }
}

/** bcrypt hash of a password, cost {@link BCRYPT_COST} (as the demo seeds). */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}
