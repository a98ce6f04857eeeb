import { codedLastError, silentFleetHoldText } from '@cad/domain/held-reasons';
import zh from '@cad/i18n/locales/zh-CN.json';
import type { Layer } from 'leaflet';
import { geocode, geocodeMissText } from './api';
import { postName } from './auth';
import { NO_FEATURES } from './features';
import { lastErrorText } from './format';
import { addLocales, setLocale } from './i18n';
import { addNamedOverlay } from './map/overlay-names';
import { renderDetail } from './panel/detail';
import { anIncident } from './testing/views';

/**
 * What an independent user found in English in the Chinese view, now worded by the console: the "CAP
 * alerts" map layer (named once at start, never renamed), a post's name (`San Francisco commander`, the
 * account's stored display name), the address lookup's reason (`no street named …`, now coded by the
 * server) and the HELD reason (`E44 did not acknowledge, and 5 units…`, coded in the incident view). A
 * reason with no code, from an older server or an older row, is shown as the server wrote it.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

it('renames the CAP alerts layer when the language changes', () => {
  const names = new Map<Layer, string>();
  const control = { addOverlay: (l: Layer, name: string) => names.set(l, name), removeLayer: (l: Layer) => names.delete(l) };
  const layer = {} as Layer;
  setLocale('en', false);
  addNamedOverlay(control as never, layer, 'alertsPanel.layer');
  expect(names.get(layer)).toBe('CAP alerts');
  setLocale('zh-CN', false);
  expect(names.get(layer)).toBe('CAP 预警');
  expect(names.size).toBe(1); // renamed, never added twice
});

it("words a post from its role and its jurisdiction's name, else shows the account's own name", () => {
  const commander = { role: 'city_commander' as const, displayName: 'San Francisco commander', unitId: null };
  setLocale('zh-CN', false);
  expect(postName(commander, 'San Francisco')).toBe('San Francisco 指挥官');
  expect(postName({ role: 'responder', displayName: 'E01 crew', unitId: 'E01' }, null)).toBe('E01 车组');
  // The jurisdictions not read yet: the stored name rather than nothing.
  expect(postName(commander, undefined)).toBe('San Francisco commander');
});

describe("the address lookup's reason", () => {
  beforeAll(() => Object.assign(globalThis, { localStorage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined } }));
  const answer = (body: unknown) =>
    Object.assign(globalThis, { fetch: async () => ({ ok: false, status: 404, json: async () => body, text: async () => JSON.stringify(body) }) });

  it('is worded from the code the server sends', async () => {
    answer({ statusCode: 404, code: 'NOT_FOUND', message: 'address 12 Nowhere St not found: no street named NOWHERE ST', miss: { code: 'no_street', params: { street: 'NOWHERE ST' } } });
    const r = await geocode('12 Nowhere St');
    expect(r).toEqual({ miss: 'no street named NOWHERE ST', code: 'no_street', params: { street: 'NOWHERE ST' } });
    setLocale('zh-CN', false);
    expect(geocodeMissText(r as never)).toBe('没有名为 NOWHERE ST 的街道');
    expect(geocodeMissText({ miss: 'x', code: 'number_not_on_street', params: { number: 99999, street: 'MAIN ST', first: 100, last: 399 } })).toBe('MAIN ST 上没有 99999 号：已知门牌号从 100 到 399');
  });

  it('hostile: an older server (no code), a code this console does not know, or a malformed one shows the server words', async () => {
    answer({ statusCode: 404, message: 'address 12 Nowhere St not found: no street named NOWHERE ST' });
    expect(await geocode('12 Nowhere St')).toEqual({ miss: 'no street named NOWHERE ST' });
    answer({ statusCode: 404, message: 'address q not found: because', miss: { code: 7, params: 'x' } });
    expect(await geocode('q')).toEqual({ miss: 'because' });
    setLocale('zh-CN', false);
    expect(geocodeMissText({ miss: 'no street named NOWHERE ST' })).toBe('no street named NOWHERE ST');
    expect(geocodeMissText({ miss: 'the moon is not in the city', code: 'off_world', params: {} })).toBe('the moon is not in the city');
  });
});

describe('the HELD reason', () => {
  const stored = silentFleetHoldText('E44', 5);
  const held = anIncident({ status: 'dispatched', autoDispatch: false, lastError: stored, lastErrorCoded: codedLastError(stored) });

  it('is coded beside the text the server stores, and the English words are the stored text', () => {
    expect(stored).toBe(
      'E44 did not acknowledge, and 5 units are already out of service for not acknowledging (phones may be down): task kept; reach the crew by radio and record its status, or assign by hand',
    );
    expect(held.lastErrorCoded).toEqual({ code: 'silent_fleet', params: { unit: 'E44', count: 5 } });
    expect(lastErrorText(held)).toBe(stored);
  });

  it('is worded in Chinese on the incident card', () => {
    setLocale('zh-CN', false);
    expect(lastErrorText(held)).toBe('E44 未确认，且已有 5 个车组因未确认而停用（手机可能故障）：任务保留；请用电台联系车组并记录其状态，或手动派车');
    const el = { hidden: true, innerHTML: '', dataset: {} } as unknown as HTMLElement;
    renderDetail(el, held, { timeline: [], recommendations: undefined, units: new Map(), features: NO_FEATURES });
    expect(el.innerHTML).toContain('未确认，且已有 5 个车组');
    expect(el.innerHTML).not.toContain('did not acknowledge');
    const unfilled = anIncident({ lastError: 'unfilled: engine, truck', lastErrorCoded: codedLastError('unfilled: engine, truck') });
    expect(lastErrorText(unfilled)).not.toContain('unfilled');
  });

  it('hostile: a reason with no code (an old row, another reason) or an older server without the field is shown as stored', () => {
    setLocale('zh-CN', false);
    const other = 'the police post declined the request for police: busy';
    expect(codedLastError(other)).toBeNull();
    expect(lastErrorText({ lastError: other, lastErrorCoded: null })).toBe(other);
    expect(lastErrorText({ lastError: stored })).toBe(stored);
    expect(codedLastError('unfilled: engine; DROP TABLE')).toBeNull();
    expect(lastErrorText({ lastError: null, lastErrorCoded: null })).toBeNull();
  });
});
