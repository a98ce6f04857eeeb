/// <reference lib="dom" />
import { callBody, realCalls } from '@cad/db/testing';
import { waitFor } from '@cad/db/testing';
import { postCall, screenshot, signInConsole, useServerAndChromium } from './support/browser';

describe('the dispatcher console in headless Chromium shows the map, boundaries and a live incident marker', () => {
  const env = useServerAndChromium('chromium');

  it('draws an incident posted after the page loaded, and lists it with its street', async () => {
    const page = await env.browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page);
    await page.waitForSelector('.leaflet-container');
    await page.waitForFunction(() => document.querySelectorAll('.unit-marker').length > 0, null, { timeout: 45000 });

    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    const res = await postCall(env.server, callBody(call));
    expect(res.status).toBe(202);
    await page.waitForSelector('.incident-marker', { timeout: 45000 });
    const incidents = (await env.server.request('GET', '/api/incidents?open=true')).body.items as any[];
    await page.waitForFunction((name) => document.body.innerText.includes(name), incidents[0].street.name, { timeout: 10000 });
    await screenshot(page, 'console');
    expect(errors).toEqual([]);
  });

  it('shows the coverage layer: streets covered or not against NFPA 1710, with the share and move-ups', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page);
    await page.waitForFunction(() => document.querySelectorAll('path.coverage-ok, path.coverage-gap').length > 50, null, { timeout: 45000 });
    const shown = await page.evaluate(() => ({
      ok: document.querySelectorAll('path.coverage-ok').length,
      gap: document.querySelectorAll('path.coverage-gap').length,
      box: document.getElementById('coverage-box')?.innerText ?? '',
    }));
    const api = (await env.server.request('GET', '/api/coverage')).body;
    expect(shown.ok).toBe(api.streets.filter((s: any) => s.covered).length);
    expect(shown.gap).toBe(api.streets.filter((s: any) => !s.covered).length);
    expect(shown.box).toContain(`${Math.round(api.share * 100)}%`);
    await screenshot(page, 'console-coverage');
  });

  it('starts a drill from the console, and opens its after-action report at its own URL in a new tab', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(page);
    await page.click('#drill-btn');
    await page.selectOption('#drill-speed', 'max');
    await page.fill('#drill-limit', '25');
    await page.click('#drill-start');
    const drills = await waitFor(async () => {
      const r = (await env.server.request('GET', '/api/drills')).body as any[];
      return r.length && r[0].state === 'finished' ? r : null;
    }, 120000, 'the drill to finish');
    // The dialog shows the run finished, with its report at its own URL (issue 26: never a blob: page).
    await page.waitForSelector(`#drill-current .drill-run[data-drill-id="${drills[0].id}"][data-state="finished"]`, { timeout: 15000 });
    const [report] = await Promise.all([context.waitForEvent('page'), page.click('#drill-current a.drill-report-link')]);
    await report.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    expect(new URL(report.url()).pathname).toBe(`/drills/${drills[0].id}/report`);
    expect(await report.textContent('#dr-p90-table')).toContain('Travel, first unit');
    await screenshot(report, 'drill-report');
    await context.close();
  }, 180000);
});
