/** Node side (API, tests): the locale files of `locales/`, read once from disk. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Messages } from './index';

/** The directory of the locale files (`<name>.json`), beside this module in the sources and the build. */
export const LOCALES_DIR = join(__dirname, 'locales');

let cache: Record<string, Messages> | null = null;

/**
 * Every locale file in {@link LOCALES_DIR}, by locale name (`zh-CN.json` → `zh-CN`). Read once.
 * @throws SyntaxError when a file is not valid JSON
 */
export function loadLocales(): Record<string, Messages> {
  cache ??= Object.fromEntries(
    readdirSync(LOCALES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(join(LOCALES_DIR, f), 'utf8')) as Messages]),
  );
  return cache;
}
