/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { callBody, realCalls } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, openResponder, PHONE, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * Every screen a dispatcher or crew reads names things as people do: units by call sign with their
 * type, stations and jurisdictions by name, statuses in words. The rendered text (and the visible
 * elements' titles and aria-labels) of the console with live incidents, an incident's detail and
 * timeline, the unit board, the coverage box, the alerts and situation dialogs, the history dialog and
 * the responder page holds no uuid, station id (`st-38`), jurisdiction id (`sf-d3`) or snake_case word.
 * The timeline shows one line per event: no "AM30 en route" then "AM30 is en route".
 */
describe('console screens: names, not ids; one timeline line per event', () => {
  const env = useServerAndChromium('readable');

  /** Everything a person reads on the page: visible text, and the titles and aria-labels of visible elements. */
  const readable = (page: Page) =>
    page.evaluate(() => {
      const attrs = Array.from(document.querySelectorAll<HTMLElement>('[title], [aria-label]'))
        .filter((el) => el.checkVisibility())
        .flatMap((el) => [el.getAttribute('title'), el.getAttribute('aria-label')])
        .filter((s): s is string => !!s);
      return [document.title, document.body.innerText, ...attrs].join('\n');
    });

  /** The internal ids and code words found in `text` (empty when it reads as people speak). */
  const internals = (text: string): string[] =>
    [
      /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
      /\bst-\d+\b/g,
      /\bsf-d\w*/g,
      /\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g,
    ].flatMap((re) => text.match(re) ?? []);

  it('the console, an incident and its timeline, the boards and dialogs, and the responder page show no internal id', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const calls = realCalls()
      .filter((c) => c.type === 'Medical Incident' || c.type === 'Structure Fire' || c.type === 'Alarms')
      .slice(0, 3);
    for (const c of calls) expect((await postCall(env.server, callBody(c))).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, calls[0].callNumber);
    const incidentId = tasks[0].incident_id;
    // The first crew acknowledges and goes en route: both its task and its unit change (one line each step).
    for (const status of ['acknowledged', 'en_route']) {
      expect((await env.server.request('PATCH', `/api/assignments/${tasks[0].id}`, { status })).status).toBe(200);
    }
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    await page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    // The timeline shows the crew en route once.
    const unit = (await env.server.db.query<{ callsign: string }>(`SELECT callsign FROM unit WHERE id = $1 AND world = 'live'`, [tasks[0].unit_id])).rows[0].callsign;
    await page.waitForFunction(
      (u) => Array.from(document.querySelectorAll('#detail .timeline li')).some((li) => li.textContent!.includes(u) && /en route/.test(li.textContent!)),
      unit,
      { timeout: 15000 },
    );
    const lines = await page.$$eval('#detail .timeline li', (lis) => lis.map((li) => (li.textContent ?? '').replace(/^\d\d:\d\d:\d\d\s*/, '').trim()));
    const events = (await env.server.request('GET', `/api/incidents/${incidentId}/events`)).body as { type: string }[];
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.length).toBeLessThan(events.length);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((l) => l.includes(unit) && /en route/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^Incident received/.test(l))).toHaveLength(0);
    // Units carry their type: on the card, in the timeline and on the board (grouped by station).
    expect(await page.textContent(`#detail .asg-line[data-unit-id="${tasks[0].unit_id}"] .utype`)).toMatch(/\w/);
    expect(lines.find((l) => l.includes(unit))).toMatch(new RegExp(`${unit} \\(\\w`));
    expect(await page.textContent('#unit-list .board-row[data-station] .board-status')).toMatch(/^Station \d+$/);
    await page.waitForFunction(() => !!document.querySelector('#coverage-box')?.textContent?.trim(), null, { timeout: 30000 });
    await screenshot(page, 'readable-console-incident');
    await page.$eval('#detail .timeline', (el) => el.scrollIntoView());
    await screenshot(page, 'readable-console-timeline');
    expect(internals(await readable(page))).toEqual([]);

    for (const dialog of ['situation', 'alerts', 'history']) {
      const btn = await page.$(`#${dialog}-btn`);
      if (!btn || !(await btn.isVisible())) continue;
      await btn.click();
      await page.waitForSelector(`#${dialog}-dialog[open]`, { timeout: 10000 });
      await screenshot(page, `readable-${dialog}-dialog`);
      expect([dialog, internals(await readable(page))]).toEqual([dialog, []]);
      await page.keyboard.press('Escape');
      await page.waitForSelector(`#${dialog}-dialog:not([open])`, { state: 'attached', timeout: 5000 });
    }

    const phone = await env.browser.newContext(PHONE);
    const crew = await openResponder(phone, env.server, tasks[0].unit_id);
    await crew.page.waitForFunction(() => /en route/i.test(document.body.innerText), null, { timeout: 20000 });
    await screenshot(crew.page, 'readable-responder');
    expect(internals(await readable(crew.page))).toEqual([]);
    expect(crew.errors).toEqual([]);
    await phone.close();

    expect(errors).toEqual([]);
    await context.close();
  });
});
