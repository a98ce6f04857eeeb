/**
 * The build's guard for translations: every message key the console, the responder page and the
 * after-action report use exists in every locale file, the locales answer for the same keys, each has
 * the plural forms its language needs, no English is left in `zh-CN`, and the glossary's terms are the
 * ones the locales use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ASSIGNMENT_STATUSES, CAPABILITIES, INCIDENT_STATUSES, UNIT_STATUSES } from '@cad/domain';
import { baseKeys, DEFAULT_LOCALE, flattenKeys, missingPluralForms, type Messages } from './index';
import { loadLocales } from './load-locales';
import glossary from './glossary.json';

const ROOT = join(__dirname, '../../..');
/** Where message keys are used: the console and responder sources and pages, and the drill report. */
const SOURCES = ['apps/console/src', 'apps/console/index.html', 'apps/console/responder.html', 'apps/console/report.html', 'apps/api/src/drill'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs).flatMap((f) => files(join(path, f)));
}

const sources = SOURCES.flatMap(files).filter((f) => /\.(ts|html)$/.test(f) && !/\.spec\.ts$/.test(f));
const locales = loadLocales();
const en = locales[DEFAULT_LOCALE];
const namespaces = new Set(Object.keys(en));
/** The console's keyboard commands (`help.<command>` is each one's help line), read from its shortcut table. */
const commands = [...readFileSync(join(ROOT, 'apps/console/src/keys.ts'), 'utf8').matchAll(/command: '([a-z-]+)'/g)].map((m) => m[1]);

/** The message at a dotted key, or undefined. */
function at(messages: Messages, key: string): string | Messages | undefined {
  return key.split('.').reduce<string | Messages | undefined>((m, k) => (m && typeof m === 'object' ? m[k] : undefined), messages);
}
/** Whether `key` names a message (or its plural forms) in `messages`. */
function exists(messages: Messages, key: string): boolean {
  if (typeof at(messages, key) === 'string') return true;
  const parent = at(messages, key.split('.').slice(0, -1).join('.'));
  const last = key.split('.').pop()!;
  return !!parent && typeof parent === 'object' && Object.keys(parent).some((k) => k.startsWith(`${last}_`));
}

/**
 * Keys named in a source: quoted literals whose first segment is a namespace of the messages (so a
 * key chosen by a condition, `t(on ? 'a.b' : 'a.c')`, is found too), and `data-i18n*="key"` in HTML.
 */
function keysIn(text: string): string[] {
  const quoted = [...text.matchAll(/['"]([a-zA-Z]+(?:\.[\w\- /()]+)+)['"]/g)].map((m) => m[1]).filter((k) => namespaces.has(k.split('.')[0]));
  return quoted;
}
/** Template keys with a computed part, `t(\`queue.empty.${q}\`)`: the literal prefix before it. */
function computedPrefixes(text: string): string[] {
  return [...text.matchAll(/\b(?:t|tHtml|has)\(`([a-zA-Z.]+)\.\$\{/g)].map((m) => m[1]);
}

describe('every message key the code uses exists in every locale', () => {
  it('finds the locales, the sources and the keyboard commands', () => {
    expect(Object.keys(locales)).toEqual(expect.arrayContaining(['en', 'zh-CN']));
    expect(commands).toEqual(expect.arrayContaining(['new-call', 'escalate', 'help']));
    expect(sources.length).toBeGreaterThan(15);
  });

  it.each(Object.keys(locales))('%s has every key named in the sources', (code) => {
    const missing: string[] = [];
    for (const f of sources) {
      for (const key of keysIn(readFileSync(f, 'utf8'))) if (!exists(locales[code], key)) missing.push(`${relative(ROOT, f)}: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(locales))('%s has the messages of every computed key (statuses, capabilities, shortcuts, queues)', (code) => {
    const m = locales[code];
    const wanted = [
      ...[...INCIDENT_STATUSES, ...UNIT_STATUSES, ...ASSIGNMENT_STATUSES].map((s) => `status.${s}`),
      ...CAPABILITIES.map((c) => `capability.${c}`),
      ...commands.map((c) => `help.${c}`),
      ...UNIT_STATUSES.map((s) => `units.short.${s}`),
      ...['pending', 'active', 'resolved'].map((q) => `queue.empty.${q}`),
      ...['live', 'reconnecting', 'connecting'].map((s) => `connection.${s}`),
      ...['escalate', 'deescalate', 'close', 'cancel'].flatMap((a) => ['title', 'field', 'done'].map((k) => `action.${a}.${k}`)),
      ...['intersection', 'block', 'interpolated', 'street'].map((p) => `newCall.precision.${p}`),
    ];
    expect(wanted.filter((k) => !exists(m, k))).toEqual([]);
    // Any other computed key reads a group that every locale has.
    for (const f of sources) {
      for (const prefix of computedPrefixes(readFileSync(f, 'utf8'))) expect([code, prefix, typeof at(m, prefix)]).toEqual([code, prefix, 'object']);
    }
  });

  it('the locales answer for the same keys as the source locale, each with its language\'s plural forms and its own name', () => {
    for (const [code, messages] of Object.entries(locales)) {
      expect([code, baseKeys(messages)]).toEqual([code, baseKeys(en)]);
      expect([code, missingPluralForms(code, messages)]).toEqual([code, []]);
      expect(typeof at(messages, 'meta.name')).toBe('string');
      // Every placeholder of the English message is in the translation (a dropped {{count}} loses the number).
      for (const key of flattenKeys(messages)) {
        const source = at(en, key) ?? at(en, key.replace(/_\w+$/, '_other'));
        const names = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)/g)].map((x) => x[1]).sort();
        expect([code, key, names(at(messages, key))]).toEqual([code, key, [...new Set(names(source))]]);
      }
    }
  });

  it('zh-CN leaves no English word in its messages (names, codes and keys excepted)', () => {
    const allowed = /^(CAD|CAP|NFPA|API|JSON|HTTP|OpenStreetMap|ODbL|Enter|Esc|Tab|Backspace|[A-Za-z]|[A-Za-z]+\d+)$/;
    const english = flattenKeys(locales['zh-CN']).flatMap((key) => {
      const text = String(at(locales['zh-CN'], key)).replace(/\{\{[^}]+\}\}/g, ' ');
      const words = (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !allowed.test(w));
      return words.length ? [`${key}: ${words.join(' ')}`] : [];
    });
    expect(english).toEqual([]);
  });

  it('the glossary\'s terms are the locales\' words for them, and no locale uses a synonym the glossary rules out', () => {
    for (const term of glossary.terms as Array<Record<string, unknown> & { key: string; avoid?: Record<string, string[]> }>) {
      for (const [code, messages] of Object.entries(locales)) {
        if (typeof term[code] === 'string') expect([term.key, code, at(messages, term.key)]).toEqual([term.key, code, term[code]]);
        for (const word of term.avoid?.[code] ?? []) {
          const users = flattenKeys(messages).filter((k) => String(at(messages, k)).includes(word));
          expect([term.key, word, users]).toEqual([term.key, word, []]);
        }
      }
    }
  });
});
