import { createTranslator, pickLocale } from './index';
import { loadLocales } from './load-locales';

describe('the locale shown is the one the user chose, else the browser\'s, else English', () => {
  const offered = ['en', 'zh-CN'];

  it('a remembered choice wins over the browser', () => {
    expect(pickLocale('zh-CN', ['en-US', 'en'], offered)).toBe('zh-CN');
    expect(pickLocale('en', ['zh-CN'], offered)).toBe('en');
  });

  it('a remembered choice no longer offered (a locale file removed) falls back to the browser', () => {
    expect(pickLocale('es', ['zh-CN', 'en'], offered)).toBe('zh-CN');
  });

  it('the browser\'s languages are taken in its order, matched case-insensitively: a variant of an earlier one wins over a later exact one', () => {
    expect(pickLocale(null, ['zh-cn'], offered)).toBe('zh-CN');
    expect(pickLocale(null, ['fr', 'zh-CN', 'en'], offered)).toBe('zh-CN');
    expect(pickLocale(null, ['fr', 'en-GB', 'zh-CN'], offered)).toBe('en');
  });

  it('a variant of an offered language gets it (zh-TW, zh-Hans-CN, en-US)', () => {
    expect(pickLocale(null, ['zh-TW'], offered)).toBe('zh-CN');
    expect(pickLocale(null, ['zh-Hans-CN'], offered)).toBe('zh-CN');
    expect(pickLocale(null, ['en-US'], offered)).toBe('en');
  });

  it('nothing offered, or no browser language at all, is English', () => {
    expect(pickLocale(null, ['fr', 'de'], offered)).toBe('en');
    expect(pickLocale(null, [], offered)).toBe('en');
    expect(pickLocale('', [''], offered)).toBe('en');
  });

  it('a translator counts with the locale\'s plural rules and falls back to English for a key it lacks', () => {
    const resources = { ...loadLocales(), xx: { meta: { name: 'partial' } } };
    const en = createTranslator(resources, 'en');
    const zh = createTranslator(resources, 'zh-CN');
    expect(en('timeline.units', { count: 1 })).toBe('1 unit');
    expect(en('timeline.units', { count: 2 })).toBe('2 units');
    expect(zh('timeline.units', { count: 1 })).toBe('1 个车组');
    expect(zh('timeline.units', { count: 0 })).toBe('0 个车组');
    expect(createTranslator(resources, 'xx')('detail.units')).toBe('Units');
  });
});
