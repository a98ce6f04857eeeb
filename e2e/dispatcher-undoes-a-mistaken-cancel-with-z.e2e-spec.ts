/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, useServerAndChromium } from './support/browser';

/**
 * X on the wrong incident cancels it and frees its units; Z, straight after, reopens it: the incident
 * is received again and back in the dispatcher's queue, and its card asks "Dispatch units?" (a reopened
 * incident is never dispatched before the dispatcher confirms); confirmed, it is dispatched afresh.
 */
describe('a mistaken cancel undone from the keyboard', () => {
  const env = useServerAndChromium('undo-cancel');

  it('X cancels the selected incident, Z reopens it, and confirmed it is dispatched again', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [task] = await assignmentsOfCall(env.server, call.callNumber);
    const incidentId = task.incident_id;
    const status = async () => (await env.server.db.query<{ status: string }>(`SELECT status FROM incident WHERE id = $1`, [incidentId])).rows[0].status;

    await page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await page.focus('body');
    await page.keyboard.press('x');
    await page.waitForSelector('#reason-dialog[open]');
    await page.keyboard.type('wrong incident');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { state: 'detached', timeout: 15000 });
    expect(await status()).toBe('cancelled');

    await page.focus('body');
    await page.keyboard.press('z');
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    await page.waitForSelector('#detail .reopen-ask button[data-cmd="confirm-dispatch"]', { timeout: 15000 });
    expect(await status()).toBe('received');
    expect((await env.server.db.query(`SELECT 1 FROM assignment WHERE incident_id = $1 AND status <> 'cleared'`, [incidentId])).rowCount).toBe(0);
    await page.click('#detail .reopen-ask button[data-cmd="confirm-dispatch"]');
    await waitFor(async () => ((await status()) !== 'cancelled' && (await status()) !== 'received' ? true : null), 15000, 'the reopened incident dispatched');
    const active = await env.server.db.query(`SELECT unit_id FROM assignment WHERE incident_id = $1 AND status <> 'cleared'`, [incidentId]);
    expect(active.rows.length).toBeGreaterThan(0);
    // Z again: nothing left to reopen, and it says so.
    await page.keyboard.press('z');
    await page.waitForFunction(() => document.body.textContent?.includes('Nothing to reopen'), null, { timeout: 5000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
