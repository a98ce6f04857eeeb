import zh from '@cad/i18n/locales/zh-CN.json';
import { etaLeftText } from '../format';
import { addLocales, setLocale } from '../i18n';

/**
 * What an independent tester saw: the phone showed "ETA 0:00 (turnout 0:00 + travel 0:00)" on a task
 * dispatched 20 minutes earlier and never acknowledged. An ETA is shown only while it means something:
 * a route estimate exists and the unit is dispatched, acknowledged or en route with time left; once the
 * estimate has run out the line says "overdue"; without an estimate, or on scene, nothing.
 */
const dispatchedAt = '2026-12-04T10:00:00.000Z';
const at = (s: number) => Date.parse(dispatchedAt) + s * 1000;
const task = { status: 'dispatched', etaSeconds: 300, turnoutSeconds: 60, dispatchedAt };

describe('the phone ETA of a task never acknowledged', () => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    addLocales({ 'locales/zh-CN.json': zh });
  });
  afterAll(() => setLocale('en', false));

  it('says overdue 20 minutes after dispatch, never ETA 0:00, in English and Chinese', () => {
    setLocale('en', false);
    expect(etaLeftText(task, at(20 * 60))).toBe('ETA overdue');
    expect(etaLeftText(task, at(20 * 60))).not.toMatch(/0:00/);
    setLocale('zh-CN', false);
    expect(etaLeftText(task, at(20 * 60))).toBe('预计到达时间已过');
  });

  it('en route past its travel time: overdue; with time left: the countdown', () => {
    setLocale('en', false);
    const enRoute = { ...task, status: 'en_route', enRouteAt: new Date(at(60)).toISOString() };
    expect(etaLeftText(enRoute, at(60 + 239))).toBe('ETA 0:01');
    expect(etaLeftText(enRoute, at(60 + 240))).toBe('ETA overdue');
  });

  it('no route estimate (none, zero or unreachable) or on scene: nothing at all', () => {
    setLocale('en', false);
    expect(etaLeftText({ ...task, etaSeconds: null }, at(0))).toBe('');
    expect(etaLeftText({ ...task, etaSeconds: 0, turnoutSeconds: 0 }, at(0))).toBe('');
    expect(etaLeftText({ ...task, etaSeconds: -1 }, at(0))).toBe('');
    expect(etaLeftText({ ...task, status: 'on_scene' }, at(20 * 60))).toBe('');
  });
});
