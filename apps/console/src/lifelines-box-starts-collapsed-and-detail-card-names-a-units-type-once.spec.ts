import zh from '@cad/i18n/locales/zh-CN.json';
import { unitTypeAndCapability } from './format';
import { addLocales, setLocale } from './i18n';
import { lifelinesBoxHtml, lifelinesBoxOpen, rememberLifelinesBox } from './map/lifelines-box';

/**
 * Two cosmetics a tester found. The incident card's task line said "AM26 Private ambulance ambulance":
 * the capability is left out when the unit type's name already says it (hostile twin: a medic sent as
 * ALS still says both). The lifelines box ("Stand-in network hanoi…") covered part of the map: it starts
 * collapsed to its title and open alarms, opens on a click, and remembers the dispatcher's choice.
 */
describe('the lifelines box starts collapsed, and the detail card names a unit’s type once', () => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    addLocales({ 'locales/zh-CN.json': zh });
  });
  afterEach(() => setLocale('en', false));

  it('leaves out a capability the unit type already says, in English and Chinese', () => {
    expect(unitTypeAndCapability('PRIVATE', 'ambulance')).toEqual({ type: 'Private ambulance', capability: '' });
    expect(unitTypeAndCapability('ENGINE', 'engine')).toEqual({ type: 'Engine', capability: '' });
    expect(unitTypeAndCapability('MEDIC', 'als')).toEqual({ type: 'Medic', capability: 'ALS' });
    expect(unitTypeAndCapability('TRUCK', 'engine')).toEqual({ type: 'Truck', capability: 'engine' });
    expect(unitTypeAndCapability(null, 'ambulance')).toEqual({ type: '', capability: 'ambulance' });
    setLocale('zh-CN', false);
    expect(unitTypeAndCapability('PRIVATE', 'ambulance')).toEqual({ type: '私营救护车', capability: '' });
    expect(unitTypeAndCapability('TRUCK', 'engine').capability).toBe('消防车');
  });

  it('starts the lifelines box collapsed, still counting open alarms, and remembers it opened', () => {
    const kept: Record<string, string> = {};
    const store = { getItem: (k: string) => kept[k] ?? null, setItem: (k: string, v: string) => void (kept[k] = v) };
    const nets = [{ id: 'hanoi', standIn: true }];
    expect(lifelinesBoxOpen(store)).toBe(false);
    const collapsed = lifelinesBoxHtml(nets, { alarms: 1, silent: 2 }, false);
    expect(collapsed).toContain('aria-expanded="false"');
    expect(collapsed).toContain('Open alarms: 1');
    expect(collapsed).not.toContain('Stand-in network');
    const open = lifelinesBoxHtml(nets, { alarms: 1, silent: 2 }, true);
    expect(open).toContain('aria-expanded="true"');
    expect(open).toContain('Stand-in network');
    expect(open).toContain('Silent sensors: 2');
    rememberLifelinesBox(true, store);
    expect(lifelinesBoxOpen(store)).toBe(true);
    rememberLifelinesBox(false, store);
    expect(lifelinesBoxOpen(store)).toBe(false);
  });
});
