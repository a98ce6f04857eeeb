/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { openConsole, postCall, screenshot, useServerAndChromium } from './support/browser';

interface UnitRow {
  id: string;
  capabilities: string[];
  status: string;
  importedOut: string | null;
}

/**
 * The console says what cannot be done before the dispatcher tries: the header names a capability with
 * no unit available (not a green "n/N AVAIL"), Accept is offered only when the recommendation names a
 * unit, and E on an incident commanded at city tier says it cannot go higher without asking a reason.
 */
describe('the console says what cannot be done', () => {
  const env = useServerAndChromium('cannot-be-done');

  it('warns no truck available, offers nothing to accept, and refuses E at city tier without a dialog', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const accepts: string[] = [];
    const actions: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/recommendations/accept')) accepts.push(r.url());
      if (r.method() === 'POST' && /\/api\/incidents\/[^/]+\/escalate$/.test(r.url())) actions.push(r.url());
    });
    // The units in service (the import put out of service those of a station the data cannot place: T06 among them).
    const units = ((await env.server.request('GET', '/api/units')).body as UnitRow[]).filter((u) => !u.importedOut);
    const trucks = units.filter((u) => u.capabilities.includes('truck'));
    expect(trucks.length).toBeGreaterThan(0);
    expect(trucks.every((u) => u.status === 'available')).toBe(true);
    expect((await page.getAttribute('#capability-warning', 'data-capabilities'))?.split(' ') ?? []).not.toContain('truck');

    // Every truck goes out of service: the header says there is no truck, in red.
    for (const t of trucks) expect((await env.server.request('PATCH', `/api/units/${t.id}`, { status: 'out_of_service' })).status).toBe(200);
    await page.waitForFunction(() => document.querySelector('#capability-warning')?.getAttribute('data-capabilities')?.split(' ').includes('truck'), null, {
      timeout: 15000,
    });
    expect(await page.isVisible('#capability-warning')).toBe(true);
    expect(await page.textContent('#capability-warning')).toMatch(/^No .*\btruck\b.* available$/);
    expect(await page.$('.counter.avail.short')).not.toBeNull();
    const colour = await page.$eval('.counter.avail .v', (el) => getComputedStyle(el).color);
    expect(colour).toBe('rgb(229, 72, 77)'); // --p1, not the green of --available
    await screenshot(page, 'console-no-truck-available');

    // Then every other unit too: a new call gets no unit, and its recommendation names none.
    for (const u of units.filter((x) => !x.capabilities.includes('truck'))) {
      expect((await env.server.request('PATCH', `/api/units/${u.id}`, { status: 'out_of_service' })).status).toBe(200);
    }
    await page.waitForFunction(() => document.querySelector('.counter.avail .v')?.textContent?.startsWith('0/'), null, { timeout: 15000 });
    const call = realCalls().find((c) => c.type === 'Structure Fire')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const incidentId = await waitFor(
      async () => (await env.server.db.query<{ incident_id: string }>(`SELECT incident_id FROM call WHERE call_number = $1`, [call.callNumber])).rows[0]?.incident_id ?? null,
      20000,
      'the incident of the call',
    );
    await page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await page.waitForSelector('#detail .recs .rec');
    expect(await page.$$eval('#detail .rec', (rows) => rows.map((r) => r.getAttribute('data-unit-id')))).toEqual(
      expect.arrayContaining(['']),
    );
    expect(await page.$$eval('#detail .rec[data-unit-id]:not([data-unit-id=""])', (rows) => rows.length)).toBe(0);
    const accept = await page.waitForSelector('#detail button[data-cmd="accept"]');
    expect(await accept.isDisabled()).toBe(true);
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.querySelector('#load-status')?.textContent?.startsWith('Nothing to accept'), null, { timeout: 5000 });
    expect(await page.textContent('#load-status')).toContain('no unit is recommended');

    // Command moves up to the city tier (by hand, through the API); E then says so and asks nothing.
    for (let i = 0; i < 3; i++) {
      const r = await env.server.request('POST', `/api/incidents/${incidentId}/escalate`, { reason: 'no unit in the district' });
      if (r.status === 409) break;
      expect([200, 201]).toContain(r.status);
    }
    expect((await env.server.db.query(`SELECT commanding_tier FROM incident WHERE id = $1`, [incidentId])).rows[0].commanding_tier).toBe('city');
    await page.waitForFunction(() => document.querySelector('#detail .detail-tier')?.textContent === 'city', null, { timeout: 15000 });
    expect(await page.$('#detail button[data-cmd="escalate"]')).toBeNull();
    await page.keyboard.press('e');
    await page.waitForFunction(() => /city tier/.test(document.querySelector('#load-status')?.textContent ?? ''), null, { timeout: 5000 });
    expect(await page.textContent('#load-status')).toContain('cannot be escalated further');
    expect(await page.$('#reason-dialog[open]')).toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(accepts).toEqual([]);
    expect(actions).toEqual([]);
    await screenshot(page, 'console-nothing-to-accept-top-tier');
    expect(errors).toEqual([]);
    await context.close();
  });
});
