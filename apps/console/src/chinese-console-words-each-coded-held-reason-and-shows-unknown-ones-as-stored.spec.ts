import { type CodedLastError, heldReasonText } from '@cad/domain/held-reasons';
import zh from '@cad/i18n/locales/zh-CN.json';
import { lastErrorText } from './format';
import { addLocales, setLocale } from './i18n';

/**
 * Every held reason the server codes (`lastErrorCoded` of the incident view) is worded by the console
 * in the viewer's language: in English as the server stores it, in Chinese with no English left (the
 * capability and agency names worded too; a post's own reason is its own words). A code this console
 * does not know, or one whose params are damaged, is shown as the server's stored text.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

const REASONS: CodedLastError[] = [
  { code: 'silent_fleet', params: { unit: 'E44', count: 5 } },
  { code: 'unfilled', params: { capabilities: 'engine' } },
  { code: 'unfilled_unreplaced', params: { capabilities: 'truck' } },
  { code: 'no_unit', params: { capabilities: 'engine' } },
  { code: 'no_unit_busy', params: { capabilities: 'engine' } },
  { code: 'no_unit_cut_off', params: { capabilities: 'engine', count: 3 } },
  { code: 'no_unit_cut_off', params: { capabilities: 'ambulance', count: 1 } },
  { code: 'no_unit_outranked', params: { capabilities: 'engine' } },
  { code: 'agency_waiting', params: { agencies: 'police' } },
  { code: 'agency_declined', params: { agency: 'police', capability: 'police', reason: 'all patrols committed' } },
  { code: 'no_plan', params: {} },
  { code: 'unacknowledged_held', params: { held: [{ capability: 'engine', units: 4 }] } },
  { code: 'reopened', params: {} },
];
const held = (r: CodedLastError) => ({ lastError: heldReasonText(r), lastErrorCoded: r });

it('in English, each coded reason reads as the server stored it', () => {
  for (const r of REASONS) expect(lastErrorText(held(r))).toBe(heldReasonText(r));
});

it('in Chinese, each coded reason is worded with no English left but the post’s own words', () => {
  setLocale('zh-CN', false);
  for (const r of REASONS) {
    const text = lastErrorText(held(r))!;
    expect(text).not.toBe(heldReasonText(r));
    expect(text.replace('all patrols committed', '').replace(/E44/, '')).not.toMatch(/[A-Za-z]{3,}/);
  }
  expect(lastErrorText(held({ code: 'agency_declined', params: { agency: 'police', capability: 'police', reason: 'all patrols committed' } }))).toBe('公安值班台拒绝了警车的请求：all patrols committed');
  expect(lastErrorText(held({ code: 'no_unit_cut_off', params: { capabilities: 'engine, truck', count: 3 } }))).toBe('道路不通，没有车组能到达（消防车和云梯车）：能承担的 3 个待命车组被封路阻断');
  expect(lastErrorText(held({ code: 'unacknowledged_held', params: { held: [{ capability: 'engine', units: 4 }, { capability: 'truck', units: 3 }] } }))).toBe('消防车：4 个车组和云梯车：3 个车组 未确认；请手动派车');
  expect(lastErrorText(held({ code: 'reopened', params: {} }))).toBe('已重开：调度员确认后再派车');
});

it('hostile: a code from a newer server, damaged params or no code at all show the stored text', () => {
  setLocale('zh-CN', false);
  const stored = 'the moon is in the way';
  expect(lastErrorText({ lastError: stored, lastErrorCoded: { code: 'moon', params: {} } as never })).toBe(stored);
  expect(lastErrorText({ lastError: stored, lastErrorCoded: { code: 'no_unit_busy', params: {} } as never })).toBe(stored);
  expect(lastErrorText({ lastError: stored, lastErrorCoded: { code: 'unacknowledged_held', params: { held: 'engine: 4 units' } } as never })).toBe(stored);
  expect(lastErrorText({ lastError: stored, lastErrorCoded: { code: 'silent_fleet', params: { unit: 'E44', count: '5' } } as never })).toBe(stored);
  expect(lastErrorText({ lastError: stored, lastErrorCoded: null })).toBe(stored);
  // The reason is the post's own text: markup in it stays text (the card escapes it), never interpreted here.
  expect(lastErrorText(held({ code: 'agency_declined', params: { agency: 'police', capability: 'police', reason: '<b>no</b>' } }))).toContain('<b>no</b>');
});
