import { clockSkewWho } from './location-actions';
import { setLocale } from './i18n';

/**
 * What an independent tester saw: phone `e01` sent `X-Device-Id: commander` and every console showed
 * "Clock skew: commander +7200 s". The banner now names the account and its unit first, in bold, and
 * the device id the phone sent only after it.
 */
describe('the clock-skew banner', () => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    setLocale('en', false);
  });

  it('names the account and unit of a spoofed device id, the device id after them', () => {
    const html = clockSkewWho({ account: 'e01', unitId: 'E01', deviceId: 'commander' });
    expect(html).toBe('<b>e01 (E01)</b> · device commander');
    expect(html.startsWith('<b>commander')).toBe(false);
  });

  it("a device named as its account is said once; a console's account has no unit; markup is escaped", () => {
    expect(clockSkewWho({ account: 'e38', unitId: 'E38', deviceId: 'e38' })).toBe('<b>e38 (E38)</b>');
    expect(clockSkewWho({ account: 'd3', unitId: null, deviceId: 'd3' })).toBe('<b>d3</b>');
    expect(clockSkewWho({ account: 'e01', unitId: 'E01', deviceId: '<i>x' })).toContain('&lt;i&gt;x');
  });
});
