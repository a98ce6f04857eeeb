/// <reference lib="dom" />
import { realCalls } from '@cad/db/testing';
import type { Page } from 'playwright-core';
import { assignmentsOfCall, DEMO_PASSWORD, PHONE, screenshot, toolbarMisfits, useServerAndChromium, watchedPage } from './support/browser';

/**
 * The English words left on the screen: every visible text node and placeholder, outside what the
 * server sends as data (`<bdi>`: addresses, names, reasons), keys (`<kbd>`), the map's attribution and
 * the jurisdiction filter's names; `data` words (callsigns, unit and station ids, the user's and
 * jurisdictions' names, the call typed) and codes (P1, E08, NFPA…) excepted.
 */
async function englishOnScreen(page: Page, data: string[]): Promise<string[]> {
  return page.evaluate((allowedData) => {
    const allowed = new Set([...allowedData, 'CAD', 'CAP', 'NFPA', 'OpenStreetMap', 'ODbL', 'Leaflet', 'Esc', 'Enter', 'Tab', 'Backspace']);
    const skip = 'script, style, bdi, kbd, code, option, .leaflet-control-attribution, .leaflet-tooltip';
    const found: string[] = [];
    const check = (text: string, where: string) => {
      for (const w of text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
        if (w.length > 1 && !allowed.has(w) && !/^[A-Za-z]+\d+[A-Za-z]?$/.test(w)) found.push(`${where}: ${w} (${text.trim().slice(0, 80)})`);
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      check(n.textContent ?? '', el.id || el.className || el.tagName);
    }
    document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]').forEach((el) => {
      if (el.checkVisibility()) check(el.placeholder, `${el.id} placeholder`);
    });
    check(document.title, 'title');
    return found;
  }, data);
}

/** Words of the data shown as it is: `San Francisco commander` → San, Francisco, commander. */
const wordsOf = (...texts: string[]) => texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []);

describe('a dispatcher and a responder take a call in Chinese, and no English is left on their screens', () => {
  const env = useServerAndChromium('chinese');

  it('the console signs in, takes the call by keyboard, shows the incident and its units, and the responder goes en route, all in zh-CN; the language can be changed and is remembered', async () => {
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    const units = (await env.server.request('GET', '/api/units')).body as Array<{ id: string; callsign: string; stationId: string | null }>;
    const jurisdictions = (await env.server.request('GET', '/api/jurisdictions')).body as Array<{ name: string }>;
    const data = wordsOf(call.address, 'Medical Incident', ...units.flatMap((u) => [u.id, u.callsign, u.stationId ?? '']), ...jurisdictions.map((j) => j.name));

    // A browser that prefers Chinese: the console speaks it from the first screen, the sign-in.
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    const { page, errors } = await watchedPage(context);
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#signin-dialog[open]');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#signin-title')).toBe('登录您的岗位');
    expect(await page.inputValue('#signin-locale-select')).toBe('zh-CN'); // the language can be changed before signing in
    expect(await englishOnScreen(page, data)).toEqual([]);
    await page.fill('#signin-user', 'commander');
    await page.fill('#signin-password', DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#signin-dialog:not([open])', { state: 'attached' });
    await page.waitForFunction(() => document.querySelectorAll('.unit-marker').length > 0, null, { timeout: 45000 });
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 20000 });
    const user = await page.evaluate(() => JSON.parse(localStorage.getItem('cad.auth.user')!).displayName as string);
    data.push(...wordsOf(user));
    expect(await page.textContent('#conn-status')).toBe('已连接');
    expect(await page.textContent('#units-section h2')).toBe('车组看板');
    expect(await englishOnScreen(page, data)).toEqual([]);
    // The world switch speaks Chinese; at 1440×900 every toolbar button is on screen, its label on one line.
    expect(await page.$$eval('#world-switch button', (bs) => bs.map((b) => b.textContent))).toEqual(['实战', '演练']);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await toolbarMisfits(page)).toEqual([]);

    // N opens the call form, in Chinese; the call is taken by keyboard as in the README's walk-through.
    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    expect(await page.textContent('#call-title')).toBe('新建来电');
    expect(await englishOnScreen(page, data)).toEqual([]);
    await page.keyboard.type('Medical Incident');
    await page.keyboard.press('Tab');
    await page.keyboard.press('1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(call.address);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(call.lat));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(call.lon));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#call-dialog:not([open])', { state: 'attached', timeout: 10000 });

    // The incident arrives and is selected: the queue row and the detail card, with its units and timeline.
    const selected = await page.waitForFunction(() => (window as any).__cadConsole.selected(), null, { timeout: 30000 });
    const incidentId = (await selected.jsonValue()) as string;
    const [{ call_number: callNumber }] = (await env.server.db.query<{ call_number: string }>(`SELECT call_number FROM call WHERE incident_id = $1`, [incidentId])).rows;
    const [assignment] = await assignmentsOfCall(env.server, callNumber);
    await page.waitForSelector(`#detail .asg-line[data-unit-id="${assignment.unit_id}"]`, { timeout: 15000 });
    await page.waitForSelector('#detail ol.timeline li', { timeout: 15000 });
    data.push(...wordsOf(callNumber));
    expect(await page.textContent('.incident-row.selected .inc-type')).toBe('医疗急救');
    expect(await page.textContent('#detail h4')).toBe('车组');
    expect(await page.textContent('#detail .detail-status')).toMatch(/^(接警|出动|途中)$/);
    expect(await englishOnScreen(page, data)).toEqual([]);

    // The shortcuts, in Chinese.
    await page.keyboard.press('?');
    await page.waitForSelector('#help-dialog[open]');
    expect(await page.textContent('#help-table')).toContain('新建来电');
    expect(await englishOnScreen(page, data)).toEqual([]);
    await page.keyboard.press('Escape');
    await screenshot(page, 'console-zh-CN');

    // The responder's phone, also in Chinese: the task, then en route; the console follows.
    const phone = await env.browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const r = await watchedPage(phone);
    await r.page.goto(`${env.server.url}/responder`, { waitUntil: 'domcontentloaded' });
    await r.page.waitForSelector('#r-signin-form');
    expect(await r.page.textContent('#r-picker h1')).toBe('以您的车组登录');
    expect(await englishOnScreen(r.page, data)).toEqual([]);
    await r.page.fill('#r-user', assignment.unit_id.toLowerCase());
    await r.page.fill('#r-password', DEMO_PASSWORD);
    await r.page.tap('#r-signin');
    await r.page.waitForSelector(`#r-task[data-assignment-id="${assignment.id}"]`, { timeout: 15000 });
    await r.page.waitForSelector('#r-conn[data-state="live"]', { timeout: 15000 });
    data.push(...wordsOf(`${assignment.unit_id} crew`));
    // Steps go in order (issue 26): acknowledge first; the header then says so, in Chinese.
    await r.page.tap('.status-btn.ack');
    await r.page.waitForSelector('#r-task[data-status="acknowledged"]', { timeout: 10000 });
    expect(await r.page.textContent('.status-btn.en_route')).toBe('出发');
    await r.page.tap('.status-btn.en_route');
    await r.page.waitForSelector('#r-task[data-status="en_route"]', { timeout: 10000 });
    // The task card is drawn again when the server's answer lands after the outbox flush: wait for the
    // status it settles on, in Chinese.
    await r.page.waitForFunction(() => document.querySelector('#r-task[data-status="en_route"] .task-status-value')?.textContent === '途中', null, { timeout: 10000 });
    expect(await r.page.textContent('.task-status-value')).toBe('途中');
    expect(await englishOnScreen(r.page, data)).toEqual([]);
    await screenshot(r.page, 'responder-zh-CN');
    await page.waitForSelector(`.incident-row .asg[data-unit-id="${assignment.unit_id}"].status-en_route`, { timeout: 10000 });
    expect(await englishOnScreen(page, data)).toEqual([]);

    // The dispatcher switches to English: every screen follows at once, and the choice outlives a reload.
    await page.selectOption('#locale-select', 'en');
    expect(await page.textContent('#units-section h2')).toBe('Unit board');
    expect(await page.textContent('#detail h4')).toBe('Units');
    expect(await page.textContent('#conn-status')).toBe('CONNECTED');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 20000 });
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#units-section h2')).toBe('Unit board');
    expect(await page.inputValue('#locale-select')).toBe('en');

    expect(errors).toEqual([]);
    expect(r.errors).toEqual([]);
    await phone.close();
    await context.close();
  });
});
