/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * A dispatcher finds a closed incident in the console's History dialog by its call number, opens it
 * (its timeline shows), and reopens it: the incident is back in the queue and its card asks "Dispatch
 * units?"; no unit is sent until the dispatcher confirms. Hostile twin: another district's post does
 * not find it and cannot reopen it (403), nor can an observer.
 */
describe('history: find a closed incident, reopen it, confirm before dispatch', () => {
  const env = useServerAndChromium('history');

  it('searches, opens, reopens; units are sent only after "Dispatch units?"; other posts cannot', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    const incidentId = tasks[0].incident_id;
    for (const status of ['acknowledged', 'en_route', 'on_scene', 'cleared']) {
      for (const a of tasks) expect((await env.server.request('PATCH', `/api/assignments/${a.id}`, { status })).status).toBe(200);
    }
    const closed = await env.server.request('POST', `/api/incidents/${incidentId}/close`, { dispositionCode: 'TREATED-RELEASED', disposition: 'treated on scene' });
    expect(closed.status).toBe(200);
    const status = async () => (await env.server.db.query<{ status: string }>(`SELECT status FROM incident WHERE id = $1`, [incidentId])).rows[0].status;

    // Hostile twin: another district's post finds nothing and may not reopen it; an observer may not either.
    const district = (await env.server.request('GET', `/api/incident-history?callNumber=${encodeURIComponent(call.callNumber)}`)).body.items[0].district as string;
    const home = closed.body.district.id.replace(/^sf-/, '');
    const other = await env.server.signIn(home === 'd2' ? 'd3' : 'd2');
    expect((await env.server.request('GET', `/api/incident-history?callNumber=${encodeURIComponent(call.callNumber)}`, undefined, other)).body.items).toEqual([]);
    expect((await env.server.request('POST', `/api/incidents/${incidentId}/reopen`, undefined, other)).status).toBe(403);
    expect((await env.server.request('POST', `/api/incidents/${incidentId}/reopen`, undefined, await env.server.signIn('observer'))).status).toBe(403);
    expect(await status()).toBe('closed');

    await page.click('#history-btn');
    await page.waitForSelector('#history-dialog[open]');
    await page.fill('#history-dialog input[name="callNumber"]', call.callNumber);
    await page.click('#history-dialog button[type="submit"]');
    const item = `#history-dialog .history-item[data-incident-id="${incidentId}"]`;
    await page.waitForSelector(item, { timeout: 10000 });
    expect(await page.textContent(item)).toContain(district);
    await page.click(item);
    await page.waitForFunction(() => document.querySelectorAll('#history-dialog .history-incident .timeline li[data-seq]').length > 2, null, { timeout: 10000 });
    await screenshot(page, 'history-closed-incident');
    await page.click('#history-dialog button[data-cmd="history-reopen"]');

    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    await page.waitForSelector('#detail .reopen-ask button[data-cmd="confirm-dispatch"]', { timeout: 15000 });
    expect(await page.textContent('#detail .reopen-ask')).toContain('Dispatch units?');
    await screenshot(page, 'history-reopened-asks-dispatch');
    expect(await status()).toBe('received');
    const active = `SELECT unit_id FROM assignment WHERE incident_id = $1 AND status <> 'cleared'`;
    expect((await env.server.db.query(active, [incidentId])).rowCount).toBe(0);

    await page.click('#detail .reopen-ask button[data-cmd="confirm-dispatch"]');
    await waitFor(async () => ((await env.server.db.query(active, [incidentId])).rowCount ? true : null), 20000, 'units dispatched after the confirmation');
    await page.waitForSelector('#detail .reopen-ask', { state: 'detached', timeout: 15000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
