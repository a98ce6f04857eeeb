/**
 * Languages of the console, the responder page and the after-action report: one JSON file per locale
 * in `locales/` (BCP 47 name, e.g. `zh-CN.json`), read by i18next. `en` is the source and the fallback.
 * The command-chain terms are fixed in `glossary.json` and every locale names them under `term.*`.
 * Pure: no DOM, no file system (the Node loader is `load-locales.ts`, the console's is Vite's glob).
 */
import i18next, { type TFunction } from 'i18next';

/** The source locale: every key exists in it, and a key missing elsewhere falls back to it. */
export const DEFAULT_LOCALE = 'en';
/** localStorage key of the user's chosen locale (console and responder page share it). */
export const LOCALE_STORAGE_KEY = 'cad.locale';

/** A locale's messages: nested objects of strings (i18next's JSON v4 format, plurals as `key_one`/`key_other`). */
export interface Messages {
  [key: string]: string | Messages;
}

/** Plural suffixes i18next appends for `count` (CLDR categories, Intl.PluralRules). */
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * The dotted keys of a locale's messages, e.g. `detail.units`, plural forms included as stored
 * (`queue.count_one`).
 */
export function flattenKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : flattenKeys(v, `${prefix}${k}.`)));
}

/** A key without its plural suffix: `queue.count_one` → `queue.count`. */
export function baseKey(key: string): string {
  return key.replace(PLURAL_SUFFIX, '');
}

/** The keys a locale answers for (plural forms folded into their base key), sorted. */
export function baseKeys(messages: Messages): string[] {
  return [...new Set(flattenKeys(messages).map(baseKey))].sort();
}

/**
 * The plural categories a locale needs for each plural key (from `Intl.PluralRules`, CLDR): `en`
 * needs `one` and `other`, `zh-CN` only `other`. Answers the keys whose forms are missing, as
 * `key_category`.
 */
export function missingPluralForms(locale: string, messages: Messages): string[] {
  const keys = flattenKeys(messages);
  const plural = new Set(keys.filter((k) => PLURAL_SUFFIX.test(k)).map(baseKey));
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  return [...plural].flatMap((k) => categories.filter((c) => !keys.includes(`${k}_${c}`)).map((c) => `${k}_${c}`));
}

/**
 * The locale to show: the user's stored choice when it is offered, else the browser's preferred
 * languages (`navigator.languages`, or `Accept-Language` by weight) in order, each matched exactly
 * (case-insensitive) or else by its primary language (`zh-TW` → `zh-CN`, `en-US` → `en`), else
 * {@link DEFAULT_LOCALE}.
 * @param stored the remembered choice, or null
 * @param preferred BCP 47 tags, most preferred first
 * @param available the locales offered (file names without `.json`)
 */
export function pickLocale(stored: string | null, preferred: readonly string[], available: readonly string[]): string {
  const find = (tag: string) => available.find((a) => a.toLowerCase() === tag.toLowerCase());
  if (stored && find(stored)) return find(stored)!;
  for (const tag of preferred) {
    const lang = tag.split('-')[0].toLowerCase();
    const match = find(tag) ?? (lang ? available.find((a) => a.split('-')[0].toLowerCase() === lang) : undefined);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

/**
 * An i18next translator for `locale`, falling back to {@link DEFAULT_LOCALE}, initialised at once
 * (resources given, no backend). Values are not HTML-escaped: callers escape for their context.
 * @param resources messages by locale name; must hold {@link DEFAULT_LOCALE}
 */
export function createTranslator(resources: Record<string, Messages>, locale: string): TFunction {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources: Object.fromEntries(Object.entries(resources).map(([lng, m]) => [lng, { translation: m }])),
    initAsync: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
  return instance.t;
}
