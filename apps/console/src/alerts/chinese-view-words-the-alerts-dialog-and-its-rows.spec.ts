import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale, t } from '../i18n';
import type { AlertRow } from './api';
import { alertDialogHtml, alertRowHtml, drawBarHtml } from './dialog-html';

/**
 * An independent user found the alerts dialog in English in the Chinese view. Its words are now the
 * console's messages: the dialog, the form, the drawing bar and each row (state, status, kind, who
 * wrote and approved it, the actions) are in Chinese, and each static word is marked so that a change
 * of language words it again. An alert's own words are the alert's (its Chinese info when it has one);
 * a state or kind this console does not know is shown as it is.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

/** The text a viewer reads in some markup: tags and attributes left out, entities as characters. */
const visible = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
/** English words in a text, but for language tags (`en-US`), CAP and the names of alerts and accounts. */
const englishIn = (text: string, allowed: string[] = []) =>
  (text.replace(/\b[a-z]{2}-[A-Z]{2}\b/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter((word) => word !== 'CAP' && !allowed.includes(word));

const anAlert = (over: Partial<AlertRow> = {}): AlertRow => ({
  id: 'a1',
  direction: 'issued',
  state: 'pending',
  status: 'Exercise',
  msgType: 'Alert',
  sender: 'sf-dem@example.org',
  sent: null,
  infos: [
    { language: 'en-US', headline: 'Gas leak: leave the area' },
    { language: 'zh-CN', headline: '燃气泄漏：请离开该区域' },
  ],
  areaDesc: '880 Kearny St',
  geometry: null,
  expiresAt: null,
  author: 'ccmd1',
  approver: null,
  ...over,
});

it('the dialog, its form and the drawing bar are in Chinese, every word marked for a change of language', () => {
  setLocale('zh-CN', false);
  const html = alertDialogHtml() + drawBarHtml();
  expect(englishIn(visible(html))).toEqual([]);
  expect(visible(html)).toContain('公众预警');
  expect(visible(html)).toContain('撰写（需审批）');
  // Each marked element holds its message in the locale shown, so `translateDom` words it again.
  const marked = [...html.matchAll(/data-i18n="([^"]+)">([^<]*)</g)];
  expect(marked.length).toBeGreaterThan(25);
  for (const [, key, text] of marked) expect(text).toBe(t(key).replace(/&/g, '&amp;'));
  setLocale('en', false);
  expect(visible(alertDialogHtml())).toContain('Public alerts');
});

it("a row is worded in Chinese: state, status, kind, who wrote it, the actions; the alert's Chinese headline", () => {
  setLocale('zh-CN', false);
  const row = alertRowHtml(anAlert(), 'ccmd2', true);
  expect(visible(row)).toContain('待审批');
  expect(visible(row)).toContain('演练');
  expect(visible(row)).toContain('燃气泄漏：请离开该区域');
  expect(visible(row)).toContain('撰写人 ccmd1');
  expect(row).toContain('批准并发布');
  expect(englishIn(visible(row), ['ccmd', 'Kearny', 'St'])).toEqual([]);
  const issued = alertRowHtml(anAlert({ state: 'issued', status: 'Actual', approver: 'ccmd2' }), 'ccmd2', true);
  expect(visible(issued)).toContain('已发布');
  expect(visible(issued)).toContain('批准人 ccmd2');
  expect(issued).toContain('撤销预警');
});

it('hostile: an unknown state or kind is shown as it is, an alert with only English words keeps them, and markup in them stays text', () => {
  setLocale('zh-CN', false);
  const odd = alertRowHtml(anAlert({ state: 'quarantined', msgType: 'Ping', status: 'Rehearsal', infos: [{ language: 'en', headline: '<img src=x onerror=alert(1)>' }] }), undefined, false);
  expect(visible(odd)).toContain('quarantined');
  expect(visible(odd)).toContain('Ping');
  expect(visible(odd)).toContain('REHEARSAL');
  expect(odd).not.toContain('<img');
  expect(visible(odd)).toContain('<img src=x onerror=alert(1)>');
  // A received alert names its sender, and offers no action to anyone.
  const received = alertRowHtml(anAlert({ direction: 'received', state: 'issued' }), 'ccmd1', true);
  expect(visible(received)).toContain('sf-dem@example.org');
  expect(received).not.toContain('<button');
  // An Actual alert's author may not approve it (a second commander does).
  expect(alertRowHtml(anAlert({ status: 'Actual' }), 'ccmd1', true)).not.toContain('data-approve');
});
