import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale } from '../i18n';
import type { Unit, UnitStatus } from '../types';
import { importedOutText } from '../format';
import { renderUnitBoard } from './units';

/**
 * Issue 20: the import puts out of service an engine whose station the data cannot place (E29, posted
 * downtown from its two incidents) or a unit whose type maps to no capability. The board says why in the
 * chip's title, in the viewer's language, and offers no "Back in service" button for them: the import
 * puts them back (a stations file, a type mapping). A unit a person took out of service keeps its button.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

const unit = (id: string, status: UnitStatus, importedOut: string | null = null): Unit => ({
  id,
  callsign: id,
  unitType: 'ENGINE',
  capabilities: ['engine'],
  status,
  lat: 37.78,
  lon: -122.4,
  stationId: null,
  importedOut,
});
const board = (units: Unit[]) => {
  const counts = { innerHTML: '' } as HTMLElement;
  const list = { innerHTML: '' } as HTMLElement;
  renderUnitBoard(counts, list, new Map(units.map((u) => [u.id, u])), true);
  return list.innerHTML;
};
const chip = (html: string, id: string) => new RegExp(`<span class="unit-chip[^"]*" data-unit-id="${id}"[^>]*>.*?</span></span>`).exec(html)?.[0] ?? '';

it('says why the import put a unit out of service and offers no button for it; a person’s out of service keeps its button', () => {
  const html = board([unit('E29', 'out_of_service', 'base-unknown'), unit('AP1', 'out_of_service', 'unmapped-type'), unit('E06', 'out_of_service'), unit('E01', 'available')]);
  expect(chip(html, 'E29')).toContain('the data cannot place its station');
  expect(chip(html, 'E29')).not.toContain('back-in-service');
  expect(chip(html, 'AP1')).toContain('its type maps to no capability');
  expect(chip(html, 'AP1')).not.toContain('back-in-service');
  expect(chip(html, 'E06')).toContain('data-cmd="back-in-service"');
  expect(chip(html, 'E01')).not.toContain('back-in-service');
});

it('words the reason in Chinese, shows an unknown one as stored, and says nothing for a unit in service', () => {
  setLocale('zh-CN', false);
  expect(importedOutText({ status: 'out_of_service', importedOut: 'base-unknown' })).toMatch(/^导入时停用/);
  expect(importedOutText({ status: 'out_of_service', importedOut: 'some-new-reason' })).toBe('some-new-reason');
  expect(importedOutText({ status: 'available', importedOut: 'base-unknown' })).toBe('');
});
