/** The after-action report's reader: the locale chosen (`?lang`, `Accept-Language`) and its number formats. */
import { createTranslator, pickLocale } from '@cad/i18n';
import { loadLocales } from '@cad/i18n/node';
import type { TFunction } from 'i18next';

/** A translator and number formats for one locale of the report. */
export interface Translator {
  locale: string;
  t: TFunction;
  /** Seconds or a count, no decimals, grouped by the locale (`1,234`); `–` when unknown. */
  fmt: (x: number | null) => string;
  /** A share as a percentage in the locale (`85%` / `85%`); `–` when unknown. */
  pct: (x: number | null) => string;
}

const translators = new Map<string, Translator>();
/** The translator of `locale` (one of the locale files, else English), built once. */
export function translatorFor(locale: string): Translator {
  let tr = translators.get(locale);
  if (!tr) {
    const t = createTranslator(loadLocales(), locale);
    const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    tr = { locale, t, fmt: (x) => (x === null ? '–' : whole.format(x)), pct: (x) => (x === null ? '–' : share.format(x)) };
    translators.set(locale, tr);
  }
  return tr;
}

/**
 * The report's locale for a reader: `lang` (e.g. the console's `?lang=zh-CN`) when a locale file offers
 * it, else the first offered of the `Accept-Language` header's languages (RFC 9110 12.5.4, by weight),
 * else English.
 */
export function reportLocale(lang: string | undefined, acceptLanguage: string | undefined): string {
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
  return pickLocale(lang?.trim() || null, preferred, Object.keys(loadLocales()));
}
