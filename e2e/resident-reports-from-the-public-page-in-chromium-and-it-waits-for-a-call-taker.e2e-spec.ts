/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, PHONE, screenshot, useServerAndChromium, watchedPage } from './support/browser';

/**
 * A resident on a phone, not signed in, opens `/report`: the page first says to call 911, refuses to
 * send without a location, takes the phone's location, and sends; the report waits in the call takers'
 * queue (no call, no incident). In Chinese the page has no English left but the number.
 */
describe('the residents’ report page in Chromium', () => {
  const env = useServerAndChromium('report-chromium');

  it('says to call first, needs a location, sends a report that waits for a call taker', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-US', geolocation: { latitude: 37.79851, longitude: -122.40977, accuracy: 25 }, permissions: ['geolocation'] });
    const w = await watchedPage(context);
    await w.page.goto(`${env.server.url}/report`, { waitUntil: 'domcontentloaded' });
    await w.page.waitForSelector('#rr-form');
    expect(await w.page.textContent('#rr-call-first')).toContain('Call 911 now');
    expect(await w.page.getAttribute('#rr-call', 'href')).toBe('tel:911');
    const callsBefore = Number((await env.server.db.query(`SELECT count(*) AS n FROM call`)).rows[0].n);

    await w.page.fill('#rr-description', 'Smoke from the roof of a grocery');
    await w.page.selectOption('#rr-type', 'fire');
    await w.page.tap('#rr-send');
    await w.page.waitForFunction(() => document.getElementById('rr-result')!.textContent!.includes('Set the location'));

    await w.page.tap('#rr-locate');
    await w.page.waitForFunction(() => document.getElementById('rr-where')!.textContent!.includes('Location set (25 m)'));
    await w.page.tap('#rr-send');
    await w.page.waitForFunction(() => document.getElementById('rr-result')!.textContent!.startsWith('Sent.'));
    await screenshot(w.page, 'resident-report-sent');

    const rows = (await env.server.db.query(`SELECT kind, type, state, lat, lon, accuracy_m, description, language FROM public_report`)).rows;
    expect(rows).toEqual([{ kind: 'emergency', type: 'fire', state: 'pending', lat: 37.79851, lon: -122.40977, accuracy_m: 25, description: 'Smoke from the roof of a grocery', language: 'en' }]);
    expect(Number((await env.server.db.query(`SELECT count(*) AS n FROM call`)).rows[0].n)).toBe(callsBefore);
    const queue = await env.server.request('GET', '/api/public-reports');
    expect(queue.body.map((q: { state: string }) => q.state)).toEqual(['pending']);
    expect(w.errors).toEqual([]);
    await context.close();
  }, 120000);

  it('refuses a place outside the city in the resident’s words, never as coordinates, and clears that when the place changes', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-US', geolocation: { latitude: 37.3382, longitude: -121.8863, accuracy: 25 }, permissions: ['geolocation'] }); // San Jose
    const w = await watchedPage(context);
    await w.page.goto(`${env.server.url}/report`, { waitUntil: 'domcontentloaded' });
    await w.page.waitForSelector('#rr-form');
    await w.page.fill('#rr-description', 'Smoke on the hill');
    await w.page.tap('#rr-locate');
    await w.page.waitForFunction(() => document.getElementById('rr-where')!.textContent!.includes('Location set (25 m)'));
    await w.page.tap('#rr-send');
    await w.page.waitForFunction(() => document.getElementById('rr-result')!.textContent!.includes('outside the city'));
    const refused = await w.page.textContent('#rr-result');
    expect(refused).toMatch(/^Not sent: that place is \d+ m outside the city\. .*call 911\.$/);
    expect(refused).not.toMatch(/37\.|121\./);
    // A tap on the map is a new place: the refusal goes with the old one.
    const box = (await w.page.locator('#rr-map').boundingBox())!;
    await w.page.locator('#rr-map').click({ position: { x: box.width / 2, y: box.height / 2 } });
    await w.page.waitForFunction(() => document.getElementById('rr-result')!.textContent === '');
    expect(await w.page.textContent('#rr-where')).toContain('Location set on the map');
    expect(w.errors).toEqual([]);
    await context.close();
  }, 120000);

  it('in Chinese: the page and its answers are Chinese; a map tap sets the location', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const w = await watchedPage(context);
    await w.page.goto(`${env.server.url}/report`, { waitUntil: 'domcontentloaded' });
    await w.page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await w.page.textContent('#rr-call-first')).toContain('请立即拨打 911');
    expect(await w.page.textContent('#rr-send')).toBe('发送报告');
    const box = (await w.page.locator('#rr-map').boundingBox())!;
    await w.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    expect(await w.page.textContent('#rr-where')).toBe('已在地图上设定位置。');
    // Everything the page says, less the map's attribution and the language picker (each language's own name).
    const visible = await w.page.evaluate(() => {
      const copy = document.body.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.leaflet-control-container, #locale-host, script').forEach((e) => e.remove());
      return copy.textContent ?? '';
    });
    expect(visible.match(/[A-Za-z]{3,}/g) ?? []).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  }, 120000);

  it('a call taker sees the waiting report on the console and accepts it: it becomes a call and an incident', async () => {
    const w = await openConsole(env.browser, env.server);
    await w.page.click('#situation-btn');
    const row = await w.page.waitForSelector('#resident-reports .resident-report');
    expect(await row.textContent()).toContain('Smoke from the roof of a grocery');
    const id = await row.getAttribute('data-report-id');
    await screenshot(w.page, 'situation-residents-queue');
    await w.page.click(`button[data-accept="${id}"]`);
    await w.page.waitForSelector('#resident-reports li.muted');
    const incident = await waitFor(async () => {
      const r = (await env.server.db.query(`SELECT i.type FROM public_report p JOIN call c ON c.id = p.call_id JOIN incident i ON i.id = c.incident_id WHERE p.id = $1`, [id])).rows;
      return r[0] ?? null;
    }, 20000, 'the accepted report to become an incident');
    expect(incident.type).toBe('Structure Fire');
    expect(w.errors).toEqual([]);
    await w.context.close();
  }, 120000);
});
