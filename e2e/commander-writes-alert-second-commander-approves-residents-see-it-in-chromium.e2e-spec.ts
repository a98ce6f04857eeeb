/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import type { Browser, BrowserContext } from 'playwright-core';
import { PHONE, screenshot, signInConsole, useServerAndChromium, watchedPage, type WatchedPage } from './support/browser';

/** Opens the console in its own context as `username`, and its alert panel with the templates loaded. */
async function openAlertPanel(browser: Browser, url: string, username: string): Promise<WatchedPage & { context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const w = await watchedPage(context);
  await w.page.goto(url, { waitUntil: 'domcontentloaded' });
  await signInConsole(w.page, username);
  await w.page.waitForSelector('#alerts-btn');
  await w.page.click('#alerts-btn');
  await w.page.waitForSelector('#alerts-dialog[open] #alert-template option', { state: 'attached' });
  return { ...w, context };
}

describe('a public alert in Chromium: one commander writes it, a second approves it, residents read it in their language, it is cancelled in one click', () => {
  const env = useServerAndChromium('alerts-chromium', { PUBLIC_CACHE_S: '1' });

  it('writes from a template, approves as commander2, shows on /alerts in English and Chinese without sign-in, and cancels', async () => {
    const [district] = (await env.server.db.query(`SELECT id, name FROM jurisdiction WHERE level = 'district' ORDER BY id LIMIT 1`)).rows;

    // The author writes a gas leak evacuation for one district.
    const author = await openAlertPanel(env.browser, env.server.url, 'commander');
    await author.page.selectOption('#alert-template', 'gas-leak-evacuation');
    await author.page.selectOption('#alert-status', 'Actual');
    // No area is chosen by default (a whole-city evacuation is never one click away): writing without one is refused.
    expect(await author.page.inputValue('#alert-juris')).toBe('');
    await author.page.click('#alert-submit');
    expect(await author.page.textContent('#alert-error')).toMatch(/^Choose the area/);
    expect((await env.server.db.query(`SELECT count(*)::int AS n FROM cap_alert`)).rows[0].n).toBe(0);
    await author.page.selectOption('#alert-juris', district.id);
    expect(await author.page.inputValue('#alert-headline-zh-CN')).toContain('燃气泄漏');
    await author.page.click('#alert-submit');
    await author.page.waitForSelector('#alerts-ours .alert-row[data-state="pending"]');
    // Its author is offered no Approve button: an Actual alert needs a second commander.
    expect(await author.page.$$('#alerts-ours button[data-approve]')).toHaveLength(0);
    const [draft] = (await env.server.db.query(`SELECT id, state, author FROM cap_alert WHERE direction = 'issued'`)).rows;
    expect(draft).toMatchObject({ state: 'pending', author: 'commander' });

    // The second commander approves it from their own console.
    const approver = await openAlertPanel(env.browser, env.server.url, 'commander2');
    await approver.page.click(`button[data-approve="${draft.id}"]`);
    await approver.page.waitForSelector(`#alerts-ours .alert-row[data-alert-id="${draft.id}"][data-state="issued"]`);
    await screenshot(approver.page, 'alerts-panel');

    // A resident, not signed in, reads it on the public page, in English then in Chinese, on the map.
    const residentCtx = await env.browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US' });
    const resident = await watchedPage(residentCtx);
    await resident.page.goto(`${env.server.url}/alerts`, { waitUntil: 'domcontentloaded' });
    await resident.page.waitForSelector(`.pa-alert[data-alert-id="${draft.id}"]`);
    expect(await resident.page.textContent('.pa-alert h2')).toContain('Gas leak: evacuate the area now');
    expect(await resident.page.$$('#pa-map path.leaflet-interactive')).not.toHaveLength(0);
    await resident.page.selectOption('#pa-lang', 'zh');
    expect(await resident.page.textContent('.pa-alert h2')).toContain('燃气泄漏：请立即撤离该区域');
    expect(await resident.page.textContent('#pa-title')).toBe('紧急警报');
    await screenshot(resident.page, 'public-alerts-zh');
    // No tile server: the streets are drawn from /public/roads.json, and at street zoom their names
    // appear on the area, so a resident can tell whether their street is inside it.
    await resident.page.waitForSelector('#pa-map canvas');
    const names = await waitFor(async () => {
      const shown = await resident.page.$$eval('#pa-map .street-label--light span', (s) => s.map((x) => x.textContent ?? ''));
      if (shown.length) return shown;
      await resident.page.click('#pa-map .leaflet-control-zoom-in');
      await resident.page.waitForTimeout(400); // the zoom's animation, before labels are placed
      return null;
    }, 15000, 'street names on the public map at street zoom');
    expect(names.every((n) => n.trim().length > 0)).toBe(true);
    await screenshot(resident.page, 'public-alerts-streets');

    // The author cancels it in one click; the public page empties at its next load.
    await author.page.click('#alerts-close');
    await author.page.click('#alerts-btn');
    await author.page.click(`button[data-cancel="${draft.id}"]`);
    await author.page.waitForSelector(`#alerts-ours .alert-row[data-alert-id="${draft.id}"][data-state="cancelled"]`);
    await waitFor(async () => {
      await resident.page.reload({ waitUntil: 'domcontentloaded' });
      await resident.page.waitForSelector('.pa-empty, .pa-alert');
      return (await resident.page.$('.pa-empty')) !== null;
    }, 20000, 'the public page to drop the cancelled alert');
    expect(await resident.page.textContent('.pa-empty')).toBe('目前没有生效的警报。');
    // On a phone the words come first, above the map: the message is on the first screen.
    const phoneCtx = await env.browser.newContext({ ...PHONE, locale: 'en-US' });
    const phone = await watchedPage(phoneCtx);
    await phone.page.goto(`${env.server.url}/alerts`, { waitUntil: 'domcontentloaded' });
    const message = await phone.page.waitForSelector('.pa-empty');
    const at = (await message.boundingBox())!;
    expect(at.y + at.height).toBeLessThan(PHONE.viewport.height / 2);
    expect(((await phone.page.locator('#pa-map').boundingBox())!).y).toBeGreaterThan(at.y);
    expect(phone.errors).toEqual([]);
    await phoneCtx.close();
    for (const w of [author, approver, resident]) expect(w.errors).toEqual([]);
    await Promise.all([author.context.close(), approver.context.close(), residentCtx.close()]);
  }, 180000);

  it('a drill alert over an area drawn on the map: its author issues it alone, and the public page never shows it', async () => {
    const w = await openAlertPanel(env.browser, env.server.url, 'commander');
    await w.page.selectOption('#alert-template', 'shelter-in-place');
    await w.page.selectOption('#alert-status', 'Exercise');
    await w.page.selectOption('#alert-area-kind', 'polygon');
    await w.page.click('#alert-draw');
    const box = (await w.page.locator('#map').boundingBox())!;
    for (const [dx, dy] of [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6]]) await w.page.mouse.click(box.x + box.width * dx, box.y + box.height * dy);
    await w.page.click('#alert-draw-done');
    expect(await w.page.textContent('#alert-poly-count')).toBe('4 corners drawn');
    await w.page.click('#alert-submit');
    const row = await w.page.waitForSelector('#alerts-ours .alert-row[data-state="pending"]');
    const id = await row.getAttribute('data-alert-id');
    await w.page.click(`button[data-approve="${id}"]`);
    await w.page.waitForSelector(`#alerts-ours .alert-row[data-alert-id="${id}"][data-state="issued"]`);
    const [alert] = (await env.server.db.query(`SELECT status, xml FROM cap_alert WHERE id = $1`, [id])).rows;
    expect(alert.status).toBe('Exercise');
    // Five points: the four corners clicked and the first again, latitude first.
    const ring = /<polygon>([^<]*)<\/polygon>/.exec(alert.xml)![1].split(' ');
    expect(ring).toHaveLength(5);
    expect(ring[0]).toBe(ring[4]);
    expect(Number(ring[0].split(',')[0])).toBeGreaterThan(37);
    const page = await (await fetch(`${env.server.url}/public/alerts.json`)).json();
    expect(page.alerts.find((a: { id: string }) => a.id === id)).toBeUndefined();
    expect(w.errors).toEqual([]);
    await w.context.close();
  }, 120000);
  it("from an incident's card: Warn the public opens the form about it (a circle around it, its address, the gas template) and the alert is linked; a district dispatcher is offered no such button", async () => {
    const call = await env.server.request('POST', '/api/calls', { type: 'Gas Leak (Natural and LP Gases)', priority: 2, lat: 37.7989, lon: -122.4262, address: '2000 Union St', callNumber: 'gas-warn-1' });
    expect(call.status).toBe(202);
    const incidentId = await waitFor(async () => {
      const r = await env.server.db.query(`SELECT incident_id FROM call WHERE call_number = 'gas-warn-1' AND incident_id IS NOT NULL`);
      return r.rows[0]?.incident_id as string | undefined;
    }, 30000, 'the gas leak incident');

    const w = await openAlertPanel(env.browser, env.server.url, 'commander');
    await w.page.click('#alerts-close');
    await w.page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await w.page.click(`#detail button[data-alert-incident="${incidentId}"]`);
    await w.page.waitForSelector('#alerts-dialog[open]');
    expect(await w.page.inputValue('#alert-area-kind')).toBe('circle');
    expect(await w.page.inputValue('#alert-template')).toBe('gas-leak-evacuation');
    expect(await w.page.inputValue('#alert-area-desc')).toBe('2000 Union St');
    const [inc] = (await env.server.db.query(`SELECT lat, lon FROM incident WHERE id = $1`, [incidentId])).rows;
    expect(Number(await w.page.inputValue('#alert-lat'))).toBeCloseTo(inc.lat, 4);
    expect(Number(await w.page.inputValue('#alert-lon'))).toBeCloseTo(inc.lon, 4);
    expect(await w.page.textContent('#alert-incident')).toContain('gas-warn-1');
    await w.page.click('#alert-submit');
    await waitFor(async () => {
      const r = await env.server.db.query(`SELECT incident_id, state FROM cap_alert WHERE direction = 'issued' AND incident_id = $1`, [incidentId]);
      return r.rows[0]?.state === 'pending' || undefined;
    }, 20000, 'the draft linked to the incident');
    // The draft's area: a 500 m circle around the incident (the CAP text is written at approval).
    const [draft] = (await env.server.db.query(`SELECT draft FROM cap_alert WHERE incident_id = $1`, [incidentId])).rows;
    expect(draft.draft.area.circle.radiusKm).toBe(0.5);
    expect(draft.draft.area.circle.lat).toBeCloseTo(inc.lat, 4);

    // A district dispatcher reads the same incident and is offered no Warn the public button.
    const [district] = (await env.server.db.query(`SELECT district_id FROM incident WHERE id = $1`, [incidentId])).rows;
    const [dispatcher] = (await env.server.db.query(`SELECT username FROM app_user WHERE role = 'district_dispatcher' AND jurisdiction_id = $1 LIMIT 1`, [district.district_id])).rows;
    const ctx = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const d = await watchedPage(ctx);
    await d.page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(d.page, dispatcher.username);
    await d.page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await d.page.waitForSelector('#detail .detail-actions');
    expect(await d.page.$$('#detail button[data-alert-incident]')).toHaveLength(0);
    for (const x of [w, d]) expect(x.errors).toEqual([]);
    await Promise.all([w.context.close(), ctx.close()]);
  }, 150000);
});
