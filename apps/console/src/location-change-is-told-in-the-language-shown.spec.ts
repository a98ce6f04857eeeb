import zh from '@cad/i18n/locales/zh-CN.json';
import { geocode, request } from './api';
import { addLocales, setLocale } from './i18n';
import { runLocationCommand } from './location-actions';
import { anIncident } from './testing/views';

jest.mock('./api', () => ({
  ...jest.requireActual<typeof import('./api')>('./api'),
  request: jest.fn(async () => ({ alerts: [{}, {}] })),
  geocode: jest.fn(),
}));

/**
 * Moving an incident's location asks and tells in the language shown (the prompts, the toast naming
 * the crews alerted, an address not found with its candidates), never in English in the Chinese view.
 */
const toasts: string[] = [];
const toast = (text: string) => toasts.push(text);
const prompts: string[] = [];

beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
beforeEach(() => {
  toasts.length = 0;
  prompts.length = 0;
  Object.assign(globalThis, { window: { prompt: (q: string, d: string) => (prompts.push(q), d || 'x') } });
});
afterEach(() => setLocale('en', false));

it('asks and tells in Chinese in the Chinese view', async () => {
  setLocale('zh-CN', false);
  (geocode as jest.Mock).mockResolvedValue({ lat: 37.8, lon: -122.4, precision: 'block', matched: '', streetId: null, outsideBoundary: false });
  await runLocationCommand('location-to-address', anIncident({ address: '1 Main St' }), toast);
  expect(prompts).toEqual(['事件的新地址', '为何更改位置？（车组会看到新地址）']);
  expect(toasts).toEqual(['位置已更改；已提醒 2 个车组。']);
  expect(request).toHaveBeenCalledWith('POST', '/api/incidents/i1/location', { lat: 37.8, lon: -122.4, address: '1 Main St', reason: '报警人更正了地址' });
});

it('hostile: an address not found moves nothing and offers the candidates, in the language shown', async () => {
  (request as jest.Mock).mockClear();
  (geocode as jest.Mock).mockResolvedValue({ miss: 'no street named NOWHERE ST', code: 'no_street', params: { street: 'NOWHERE ST' }, candidates: [{ address: 'NORTH ST' }] });
  await runLocationCommand('location-to-address', anIncident({ address: 'Nowhere St' }), toast);
  expect(toasts).toEqual(['no street named NOWHERE ST. Did you mean: NORTH ST?']);
  setLocale('zh-CN', false);
  await runLocationCommand('location-to-address', anIncident({ address: 'Nowhere St' }), toast);
  expect(toasts[1]).toBe('没有名为 NOWHERE ST 的街道。您是否要找：NORTH ST？');
  expect(request).not.toHaveBeenCalled();
});
