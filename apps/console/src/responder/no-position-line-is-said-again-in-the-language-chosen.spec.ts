import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale } from '../i18n';
import { startPositionReporting } from './position-report';

/**
 * The line under the responder's map ("No position: location permission denied") is said again in the
 * language the crew switches to, not left in the one it was first written in; and it is the newest
 * message that is said again, never an older one it replaced.
 */
describe('the responder’s position line follows a change of language', () => {
  let fail: (err: { code: number }) => void = () => undefined;
  const line = { textContent: '' as string | null };

  beforeAll(() => {
    Object.assign(globalThis, {
      navigator: {
        languages: ['en'],
        language: 'en',
        geolocation: { watchPosition: (_ok: unknown, onError: (err: { code: number }) => void) => ((fail = onError), 1) },
      },
    });
    addLocales({ 'locales/zh-CN.json': zh });
    setLocale('en', false);
    startPositionReporting({ offered: true, unitId: () => 'E01', online: () => true, moveSelf: () => undefined }, line as HTMLElement);
  });
  afterAll(() => setLocale('en', false));

  it('says "No position" again in Chinese after the switch, and in English after switching back', () => {
    fail({ code: 1 });
    expect(line.textContent).toBe('No position: location permission denied');
    setLocale('zh-CN', false);
    expect(line.textContent).toBe('无法获取位置：未获得定位权限');
    setLocale('en', false);
    expect(line.textContent).toBe('No position: location permission denied');
  });

  it('says the newest message again, never the one it replaced', () => {
    fail({ code: 1 });
    fail({ code: 3 });
    setLocale('zh-CN', false);
    expect(line.textContent).toContain('无法获取位置');
    expect(line.textContent).not.toContain('未获得定位权限');
    setLocale('en', false);
    expect(line.textContent).toBe('No position: no fix in time');
  });
});
