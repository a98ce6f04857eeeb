import { waitFor } from '@cad/db/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole, screenshot } from './support/browser';
import { Server, startServer } from './support/server';

/**
 * The paper fallback, typed on the console instead (Chromium): with the API killed, a
 * dispatcher takes three calls through the console's call form. They are kept on the console (they
 * outlive the page being closed and opened again), and when CAD is back each is placed exactly once,
 * marked taken offline with the time it was typed; the one beside an incident opened before is
 * offered as its duplicate. The dispatcher's audit list says what became of each, in English and in
 * Chinese. Its hostile twin: the same sync replayed (the answers lost, the outbox sent again) places
 * nothing twice.
 */
describe('a dispatcher taking calls on the console while the API is down', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer('offline-call-form');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop().catch(() => undefined);
  });

  const typeCall = async (page: Page, c: { type: string; priority: string; lat: number; lon: number }) => {
    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    await page.fill('#call-type', c.type);
    await page.selectOption('#call-priority', c.priority);
    await page.fill('#call-lat', c.lat.toFixed(6));
    await page.fill('#call-lon', c.lon.toFixed(6));
    const before = await page.evaluate(() => Date.now());
    await page.click('#call-submit');
    await page.waitForSelector('#call-dialog:not([open])', { state: 'attached', timeout: 15000 });
    const after = await page.evaluate(() => Date.now());
    return { before, after };
  };
  const offlineCalls = async () =>
    (
      await server.db.query<{ id: string; type: string; call_number: string; received_at: Date; created_at: Date; incident_id: string | null; linked: boolean; suggested_incident_id: string | null }>(
        `SELECT id, type, call_number, received_at, created_at, incident_id, linked, suggested_incident_id FROM call WHERE taken_offline ORDER BY received_at`,
      )
    ).rows;

  it('keeps the three calls, places each once with the time typed after recovery, lists what became of each, and a replayed sync places none twice', async () => {
    // An incident opened before the outage, where the third call will come from.
    const fire = await server.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.801, lon: -122.42 });
    expect(fire.status).toBe(202);
    const fireIncident = await waitFor(async () => (await server.request('GET', `/api/calls/${fire.body.id}`)).body?.incidentId as string | undefined, 20000, 'the fire placed');
    const fireNumber = (await server.request('GET', `/api/incidents/${fireIncident}`)).body.callNumber as string;

    const { page, context } = await openConsole(browser, server);
    const port = new URL(server.url).port;
    await server.stop(); // the API killed
    await page.waitForSelector('#offline-banner[data-state="offline"]:not([hidden])', { timeout: 20000 });

    const calls = [
      { type: 'Medical Incident', priority: '1', lat: 37.7935, lon: -122.4045 },
      { type: 'Traffic Collision', priority: '2', lat: 37.78, lon: -122.415 },
      { type: 'Medical Incident', priority: '2', lat: 37.8011, lon: -122.4201 },
    ];
    const typed = [];
    for (const c of calls) typed.push(await typeCall(page, c));
    const outbox = await page.evaluate(() => localStorage.getItem('cad.callOutbox'));
    expect(JSON.parse(outbox!)).toHaveLength(3);
    await screenshot(page, 'offline-calls-kept');

    // The console is closed while CAD is down, and opened again once it is back.
    await page.close();
    server = await startServer('offline-call-form', { PORT: port }, server);
    expect(await offlineCalls()).toEqual([]);
    const again = await context.newPage();
    await again.goto(server.url, { waitUntil: 'domcontentloaded' });
    await again.waitForSelector('#conn-status[data-state="live"]', { timeout: 30000 });

    const placed = await waitFor(async () => {
      const rows = await offlineCalls();
      return rows.length === 3 && rows.every((r) => r.incident_id) ? rows : null;
    }, 30000, 'the three calls taken offline placed');
    expect(placed.map((r) => r.type)).toEqual(calls.map((c) => c.type));
    for (const [k, r] of placed.entries()) {
      // The time typed (between pressing Create and the form closing), not the time sent.
      expect(r.received_at.getTime()).toBeGreaterThanOrEqual(typed[k].before);
      expect(r.received_at.getTime()).toBeLessThanOrEqual(typed[k].after);
      expect(r.created_at.getTime()).toBeGreaterThan(typed[2].after);
      expect(r.call_number).toMatch(/^OFF-\d{8}T\d{6}Z-[0-9a-z]{6}$/);
    }
    expect(placed[2].suggested_incident_id).toBe(fireIncident);
    expect(placed[2].incident_id).not.toBe(fireIncident);

    // The audit list: which calls were typed offline and what became of each.
    await again.click('#offline-audit-btn');
    await again.waitForSelector('#offline-audit-dialog[open]');
    await again.waitForFunction(() => document.querySelectorAll('#offline-audit-rows tr').length === 3 && !document.querySelector('#offline-audit-rows tr[data-fate="pending"]'), null, { timeout: 20000 });
    const rows = () => again.$$eval('#offline-audit-rows tr', (trs) => trs.map((tr) => ({ number: tr.getAttribute('data-call-number'), fate: tr.getAttribute('data-fate'), text: tr.querySelector('.fate')!.textContent })));
    const en = await rows();
    expect(en.map((r) => r.number)).toEqual(placed.map((r) => r.call_number));
    expect(en.map((r) => r.fate)).toEqual(['placed', 'placed', 'offered']);
    expect(en[0].text).toBe(`placed as incident ${placed[0].call_number}`);
    expect(en[2].text).toBe(`placed as incident ${placed[2].call_number}; offered as a possible duplicate of ${fireNumber}`);
    expect(await again.textContent('#offline-audit-btn')).toBe('3 taken offline');
    await screenshot(again, 'offline-calls-audit-en');
    await again.selectOption('#locale-select', 'zh-CN');
    const zh = await rows();
    expect(zh[0].text).toBe(`已建为事件 ${placed[0].call_number}`);
    expect(zh[2].text).toBe(`已建为事件 ${placed[2].call_number}；提示可能与 ${fireNumber} 重复`);
    expect(await again.textContent('#offline-audit-title')).toBe('离线接警');
    await screenshot(again, 'offline-calls-audit-zh');
    await again.selectOption('#locale-select', 'en');
    await again.click('#offline-audit-close');

    // Hostile twin: the sync replayed (the answers lost before the calls left the outbox).
    await again.evaluate((kept) => localStorage.setItem('cad.callOutbox', kept), outbox!);
    await again.reload({ waitUntil: 'domcontentloaded' });
    await again.waitForFunction(() => localStorage.getItem('cad.callOutbox') === '[]', null, { timeout: 30000 });
    const synced = await again.evaluate(() => JSON.parse(localStorage.getItem('cad.callOutbox.synced')!) as Array<{ callId: string; repeated?: boolean }>);
    expect(synced.map((s) => [s.callId, s.repeated])).toEqual(placed.map((r) => [r.id, true]));
    const after = await offlineCalls();
    expect(after.map((r) => r.id)).toEqual(placed.map((r) => r.id));
    const incidents = await server.db.query(`SELECT count(DISTINCT incident_id)::int AS n FROM call WHERE taken_offline`);
    expect(incidents.rows[0].n).toBe(3);
    await context.close();
  });
});
