/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, screenshot, useServerAndChromium } from './support/browser';

interface StoreView {
  incidents: { id: string; status: string; drillId?: string | null }[];
  units: { id: string; status: string }[];
  rows: string[];
}

/**
 * Issue 26 part 7, in Chromium: the drill dialog (the console's dark theme) starts a drill, shows its
 * progress bar (simulated time over the span, calls placed), pauses it (the simulated clock stops),
 * resumes it, sets it to max speed, and then shows it finished (never "running" after it ended), with
 * a refused start's error inside the dialog; the report opens at its own URL with charts whose axes
 * have titles; and once the drill at max speed has ended, the console's incidents and unit board are
 * the API's: no exercise incident left on scene, every live unit in the same status.
 */
describe('drills from the console: dialog, progress, pause, finished state, report, and the console matching the API', () => {
  const env = useServerAndChromium('drill-dialog');

  it('runs a drill from the dialog to its end, opens its report, and leaves the console as the API is', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    await page.click('#drill-btn');
    await page.waitForSelector('#drill-dialog[open]');
    await page.selectOption('#drill-speed', '10');
    await page.fill('#drill-limit', '30');
    await page.click('#drill-start');
    const run = await page.waitForSelector('#drill-current .drill-run[data-state="running"]', { timeout: 30000 });
    const id = (await run.getAttribute('data-drill-id'))!;
    expect(await page.textContent('#drill-current .drill-progress-text')).toMatch(/of 30 calls placed/);
    await screenshot(page, 'drill-dialog-running');

    // Pause: the dialog and the API say paused, and the simulated clock stands still.
    await page.click('#drill-current [data-drill-cmd="pause"]');
    await page.waitForSelector('#drill-current .drill-run[data-state="paused"]', { timeout: 10000 });
    const paused = (await env.server.request('GET', `/api/drills/${id}`)).body;
    expect(paused.state).toBe('paused');
    await page.waitForTimeout(1500);
    expect((await env.server.request('GET', `/api/drills/${id}`)).body.simTime).toBe(paused.simTime);
    await screenshot(page, 'drill-dialog-paused');
    await page.click('#drill-current [data-drill-cmd="resume"]');
    await page.waitForSelector('#drill-current .drill-run[data-state="running"]', { timeout: 10000 });

    // Max speed from the dialog; it runs to its end and the dialog says finished, whole.
    await page.selectOption('#drill-current select[data-drill-speed]', 'max');
    await waitFor(async () => (await env.server.request('GET', `/api/drills/${id}`)).body.speed === 'max', 10000, 'max speed');
    await waitFor(async () => (await env.server.request('GET', `/api/drills/${id}`)).body.state === 'finished', 240000, 'the drill to finish');
    await page.waitForSelector(`#drill-current .drill-run[data-drill-id="${id}"][data-state="finished"]`, { timeout: 15000 });
    expect(await page.getAttribute('#drill-current .drill-progress', 'aria-valuenow')).toBe('100');
    expect(await page.textContent('#drill-dialog')).not.toMatch(/running/i);
    expect(await page.$('#drill-current [data-drill-cmd]')).toBeNull();
    await screenshot(page, 'drill-dialog-finished');

    // Hostile twin: a start the server refuses shows its error inside the dialog, which stays open.
    await page.fill('#drill-day', '1999-01-01');
    await page.click('#drill-start');
    await page.waitForSelector('#drill-dialog[open] #drill-error:not([hidden])', { timeout: 10000 });
    expect((await page.textContent('#drill-error'))!.length).toBeGreaterThan(0);
    await screenshot(page, 'drill-dialog-error-inside');

    // The report at its own URL (not a blob: page), with three charts whose axes are titled (the third:
    // simulated over historical per interval), the NFPA interval table, and no policy comparison asked for.
    const [report] = await Promise.all([context.waitForEvent('page'), page.click('#drill-current a.drill-report-link')]);
    await report.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    expect(new URL(report.url()).pathname).toBe(`/drills/${id}/report`);
    const charts = (await report.evaluate(() => (window as unknown as { __cadReport: { charts(): unknown } }).__cadReport.charts())) as {
      x: string;
      y: string;
      labels: string[];
      datasets: string[];
    }[];
    expect(charts.map((c) => [c.x, c.y])).toEqual([
      ['Interval', 'Seconds (90th percentile)'],
      ['Simulated hour (city time)', 'Count per hour'],
      ['Interval', 'Simulated ÷ historical'],
    ]);
    expect(charts[2].datasets).toEqual(['p50 ratio', 'p90 ratio', 'History reproduced (1.00)']);
    expect(await report.locator('#dr-validation-table tr[data-metric]').count()).toBe(6);
    expect(await report.textContent('#dr-validation')).not.toMatch(/NaN|undefined/);
    expect(await report.textContent('#dr-policy')).toContain('Not available: this drill was not compared');
    expect(charts[0].labels).toEqual(['Call processing', 'Turnout (EMS)', 'Turnout (fire)', 'Travel, first unit', 'Travel, full alarm', 'Total response']);
    expect(charts[0].datasets).toEqual(['simulated p90', 'historical p90', 'NFPA target (s)']);
    expect(charts[1].labels.every((l) => /^\d{2}:00$/.test(l))).toBe(true);
    await screenshot(report, 'drill-report-own-url-with-axes');
    await report.close();

    // The console is the API's after the drill at max speed: nothing of the drill left open, the same units.
    await page.keyboard.press('Escape');
    const drillIncidents = (await env.server.db.query<{ id: string }>(`SELECT id FROM incident WHERE drill_id = $1`, [id])).rows.map((r) => r.id);
    expect(drillIncidents.length).toBeGreaterThan(0);
    const apiOpen = (await env.server.request('GET', `/api/incidents?drillId=${id}&open=true`)).body;
    expect(apiOpen.total).toBe(0);
    const apiUnits = ((await env.server.request('GET', '/api/units')).body as { id: string; status: string }[]).map((u) => ({ id: u.id, status: u.status })).sort((a, b) => a.id.localeCompare(b.id));
    const readConsole = () =>
      page.evaluate((ids) => {
        const c = (window as unknown as { __cadConsole: { store: { incidents: Map<string, StoreView['incidents'][number]>; units: Map<string, StoreView['units'][number]> } } }).__cadConsole;
        const rows = Array.from(document.querySelectorAll<HTMLElement>('.incident-row[data-incident-id]')).map((r) => r.dataset.incidentId!).filter((x) => ids.includes(x));
        return {
          incidents: [...c.store.incidents.values()].filter((i) => ids.includes(i.id)).map((i) => ({ id: i.id, status: i.status })),
          units: [...c.store.units.values()].map((u) => ({ id: u.id, status: u.status })).sort((a, b) => a.id.localeCompare(b.id)),
          rows,
        } as StoreView;
      }, drillIncidents);
    // The console applies the drill's last events as they arrive: poll until it matches, with a generous
    // deadline, in the exercise view (where a drill's incidents are listed).
    await page.click('#world-switch button[data-world="exercise"]');
    let shown: StoreView | null = null;
    await waitFor(
      async () => {
        shown = await readConsole();
        return shown.incidents.length === 0 && shown.rows.length === 0 && JSON.stringify(shown.units) === JSON.stringify(apiUnits);
      },
      20000,
      'the console to match the API after the drill',
    ).catch(() => undefined);
    expect(shown!.incidents).toEqual([]);
    expect(shown!.rows).toEqual([]);
    expect(shown!.units).toEqual(apiUnits);
    // The unit board's counter says the API's available and total (live view).
    await page.click('#world-switch button[data-world="live"]');
    const available = apiUnits.filter((u) => u.status === 'available').length;
    await page.waitForFunction((want) => document.querySelector('.counter.avail .v')?.textContent === want, `${available}/${apiUnits.length}`, { timeout: 10000 });
    await screenshot(page, 'console-after-drill-matches-api');
    expect(errors).toEqual([]);
    await context.close();
  }, 420000);
});
