import { etaLeft, etaText } from './format';
import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale } from './i18n';

describe('a task’s ETA: turnout and travel shown apart, counting down en route, gone on scene', () => {
  const dispatchedAt = '2017-01-01T10:00:00.000Z';
  const at = (s: number) => Date.parse(dispatchedAt) + s * 1000;
  const task = { status: 'dispatched', etaSeconds: 195, turnoutSeconds: 70, dispatchedAt };

  it('shows "turnout 1:10 + travel 2:05" before the crew is en route, in the reader’s language', () => {
    setLocale('en', false);
    expect(etaText(task)).toBe('ETA 3:15 (turnout 1:10 + travel 2:05)');
    // The console adds its other locales at start (a browser's navigator says which to show first).
    if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { languages: ['en'], language: 'en' }, configurable: true });
    addLocales({ 'locales/zh-CN.json': zh });
    setLocale('zh-CN', false);
    expect(etaText(task)).toBe('预计到达 3:15（出动准备 1:10 + 行驶 2:05）');
    setLocale('en', false);
    // En route, the turnout is behind the crew: travel only.
    expect(etaText({ ...task, status: 'en_route' })).toBe('ETA 2:05');
  });

  it('counts down from dispatch, then from en route over the travel alone, and disappears on scene', () => {
    expect(etaLeft(task, at(30))).toBe(165);
    expect(etaLeft({ ...task, status: 'acknowledged' }, at(60))).toBe(135);
    expect(etaLeft({ ...task, status: 'en_route', enRouteAt: new Date(at(90)).toISOString() }, at(100))).toBe(115);
    expect(etaLeft({ ...task, status: 'on_scene' }, at(300))).toBeNull();
    expect(etaLeft({ ...task, status: 'cleared' }, at(300))).toBeNull();
  });

  it('hostile: a late unit shows 0:00 (never negative), an unreachable one no ETA, an old task without turnout the whole ETA', () => {
    expect(etaLeft({ ...task, status: 'en_route', enRouteAt: new Date(at(10)).toISOString() }, at(900))).toBe(0);
    expect(etaLeft({ ...task, etaSeconds: -1 }, at(0))).toBeNull();
    expect(etaText({ ...task, etaSeconds: -1 })).toBe('ETA —');
    expect(etaText({ status: 'dispatched', etaSeconds: 120 })).toBe('ETA 2:00');
  });
});
