import zh from '@cad/i18n/locales/zh-CN.json';
import { placeName } from './format';
import { addLocales, setLocale } from './i18n';

/**
 * The new-user trial saw "North Beach · District 3" left in English in the Chinese view. A numbered
 * district from the city's data is worded in the language shown; a street's or neighborhood's proper
 * name is kept as the data writes it, and a name that only looks alike is not touched.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

describe('a jurisdiction’s name in the language shown', () => {
  it('words a numbered district in Chinese and keeps it in English', () => {
    expect(placeName('District 3')).toBe('District 3');
    setLocale('zh-CN', false);
    expect(placeName('District 3')).toBe('第3区');
    expect(placeName('District 11')).toBe('第11区');
  });

  it('keeps proper names, look-alikes and nothing as they are', () => {
    setLocale('zh-CN', false);
    for (const name of ['North Beach', 'Financial District/South Beach', 'District 3 Annex', 'district 3', 'Ward 2']) expect(placeName(name)).toBe(name);
    expect(placeName(null)).toBe('');
    expect(placeName(undefined)).toBe('');
  });
});
