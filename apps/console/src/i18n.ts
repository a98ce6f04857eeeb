/**
 * The console's and responder page's language: i18next over the locale files of `libs/i18n`, the
 * locale chosen by the browser (`navigator.languages`), changeable by the user and remembered in
 * localStorage. English is built in (the fallback, and what tests see); the entry points add every
 * other locale file with {@link addLocales}. Static HTML names its text by `data-i18n*` attributes
 * ({@link translateDom}); code calls {@link t} for text and {@link tHtml} for HTML.
 */
import i18next from 'i18next';
import en from '@cad/i18n/locales/en.json';
import { DEFAULT_LOCALE, LOCALE_STORAGE_KEY, pickLocale, type Messages } from '@cad/i18n';

/** HTML-escapes text (the message text of {@link tHtml}, the picker's names). */
const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const instance = i18next.createInstance();
void instance.init({
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  resources: { [DEFAULT_LOCALE]: { translation: en as Messages } },
  initAsync: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
});

const listeners: Array<() => void> = [];

/** Values interpolated into a message: text, or a number (a `count` chooses the plural form). */
export type Values = Record<string, string | number>;

/** The message `key` in the current locale, values interpolated as they are (for `textContent`). */
export function t(key: string, values?: Values): string {
  return instance.t(key, values ?? {});
}

/**
 * The message `key` as HTML: the message's own text is escaped, and each value is put in as the HTML
 * the caller made of it (`bdi(...)` for text from the server, `esc(...)` for ours). A `count` is
 * passed through as a number, so it picks the plural form and is shown formatted.
 */
export function tHtml(key: string, values: Values = {}): string {
  const slots: string[] = [];
  const marked: Values = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'number') marked[k] = v;
    else {
      marked[k] = `\u0000${slots.length}\u0000`;
      slots.push(v);
    }
  }
  return esc(instance.t(key, marked)).replace(/\u0000(\d+)\u0000/g, (_, i: string) => slots[Number(i)]);
}

/** Whether the current locale (or the fallback) has a message for `key` (for data-driven labels). */
export function has(key: string): boolean {
  return instance.exists(key);
}

/** The locale shown now, e.g. `zh-CN`. */
export function locale(): string {
  return instance.language;
}

/** The locales offered, with their names in their own language (`meta.name` of each file). */
export function locales(): Array<{ code: string; name: string }> {
  return Object.keys(instance.store.data)
    .sort()
    .map((code) => ({ code, name: String(instance.getResource(code, 'translation', 'meta.name') ?? code) }));
}

/**
 * Adds the locale files bundled by the entry point (Vite's `import.meta.glob` of `libs/i18n/src/locales/*.json`,
 * file path → messages), then shows the locale the user chose or the browser prefers.
 */
export function addLocales(files: Record<string, unknown>): void {
  for (const [path, messages] of Object.entries(files)) {
    const code = path.replace(/^.*\//, '').replace(/\.json$/, '');
    if (code !== DEFAULT_LOCALE) instance.addResourceBundle(code, 'translation', messages as Messages, true, true);
  }
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    stored = null;
  }
  setLocale(pickLocale(stored, navigator.languages ?? [navigator.language], Object.keys(instance.store.data)), false);
}

/**
 * Shows `code` everywhere: the static page text is translated again and every listener (the views that
 * render text) is called. `remember` stores the choice for the next visit.
 */
export function setLocale(code: string, remember = true): void {
  void instance.changeLanguage(code);
  if (remember) {
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, code);
    } catch {
      // private mode: the choice lasts this page only
    }
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = code;
    translateDom(document);
  }
  for (const fn of listeners) fn();
}

/** Calls `fn` after each change of locale (to render its text again). */
export function onLocaleChange(fn: () => void): void {
  listeners.push(fn);
}

/** Attributes that name a message: `data-i18n` sets the text, the others the attribute after the prefix. */
const ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'label'] as const;

/**
 * Translates the static text under `root`: `data-i18n="key"` replaces the element's text,
 * `data-i18n-title`, `-aria-label`, `-placeholder`, `-label` set those attributes; `<title data-i18n>`
 * renames the page.
 */
export function translateDom(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n!)));
  for (const attr of ATTRIBUTES) {
    root.querySelectorAll<HTMLElement>(`[data-i18n-${attr}]`).forEach((el) => el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)!)));
  }
}

/**
 * A `<select>` of the locales offered (each in its own language), put into `host` with the id `id`;
 * choosing one shows and remembers it.
 */
export function mountLocalePicker(host: HTMLElement, id = 'locale-select'): HTMLSelectElement {
  const select = document.createElement('select');
  select.id = id;
  select.className = 'locale-select';
  select.dataset.i18nAriaLabel = 'language.choose';
  select.dataset.i18nTitle = 'language.choose';
  select.setAttribute('aria-label', t('language.choose'));
  select.title = t('language.choose');
  select.innerHTML = locales()
    .map((l) => `<option value="${esc(l.code)}" lang="${esc(l.code)}">${esc(l.name)}</option>`)
    .join('');
  select.value = locale();
  select.addEventListener('change', () => setLocale(select.value));
  onLocaleChange(() => (select.value = locale()));
  host.appendChild(select);
  return select;
}

/** A number in the current locale (`1,234` / `1,234`; grouping and digits by Intl). */
export function num(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(), options).format(n);
}

/** A list in the current locale: `engine or truck` / `消防车或云梯车`. */
export function list(items: string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(locale(), { type }).format(items);
}
