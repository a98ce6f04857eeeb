import { bdi } from './format';
import { t, tHtml } from './i18n';

describe('translated text cannot inject HTML or other messages', () => {
  it('a value from the server goes into the message as the HTML the caller made of it, escaped and isolated', () => {
    const html = tHtml('detail.possibleDuplicate', { call: bdi('<img src=x onerror=alert(1)>'), type: bdi('Fire') });
    expect(html).toBe('possible duplicate: <bdi>&lt;img src=x onerror=alert(1)&gt;</bdi> · <bdi>Fire</bdi>');
  });

  it("the message's own text is escaped (an & in a hint is text, not markup)", () => {
    expect(tHtml('newCall.hint')).toContain('two streets with &#38;)');
  });

  it('a value that looks like a placeholder, a nested message or a slot marker stays text', () => {
    expect(t('merge.noSuch', { call: '{{call}} $t(detail.units)' })).toBe('No open incident {{call}} $t(detail.units).');
    const marker = bdi('\u00000\u0000');
    expect(tHtml('detail.possibleDuplicate', { call: marker, type: bdi('x') })).toBe(`possible duplicate: ${marker} · <bdi>x</bdi>`);
  });

  it('a count picks the plural form and stays a number', () => {
    expect(tHtml('timeline.units', { count: 1 })).toBe('1 unit');
    expect(tHtml('timeline.units', { count: 3 })).toBe('3 units');
    expect(tHtml('timeline.units', { count: 0 })).toBe('0 units');
  });

  it('an unknown key shows the key rather than nothing (and the key test fails the build first)', () => {
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
