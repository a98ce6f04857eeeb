/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, openResponder, PHONE, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * A crew that does not acknowledge its task in time loses it to another unit at the second timeout (3 s
 * here, after the first alerted the dispatcher, see the acknowledgement policy): its phone
 * says it is out of service and offers "Back in service"; the console shows the unit out of service
 * and the replacement on the incident; one tap puts the unit back, and the console follows.
 */
describe('a responder who does not acknowledge in time', () => {
  const env = useServerAndChromium('silent-unit', { ACK_TIMEOUT_S: '3' });

  it('is replaced, told so on the phone, and goes back in service with one tap', async () => {
    const console = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    const silent = tasks[0];
    // The other crews acknowledge at once (their tasks stay theirs).
    for (const t of tasks.slice(1)) expect((await env.server.request('PATCH', `/api/assignments/${t.id}`, { status: 'acknowledged' })).status).toBe(200);

    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, silent.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${silent.id}"]`, { timeout: 15000 });

    // 3 s + 3 s later the task goes to another unit: the phone says why, the console shows the unit out of service.
    await page.waitForSelector('button[data-in-service]', { timeout: 15000 });
    expect(await page.textContent('#r-task')).toContain('Out of service');
    await console.page.waitForSelector(`.unit-chip[data-unit-id="${silent.unit_id}"][data-status="out_of_service"]`, { timeout: 5000 });
    const replacement = await waitFor(async () => {
      const r = await env.server.db.query(`SELECT id, unit_id FROM assignment WHERE replaces_id = $1`, [silent.id]);
      return r.rows[0];
    }, 15000, 'the replacement task');
    expect(replacement.unit_id).not.toBe(silent.unit_id);
    // Acknowledge the replacement so that no further timer fires during the rest of the test.
    await env.server.request('PATCH', `/api/assignments/${replacement.id}`, { status: 'acknowledged' });
    await screenshot(page, 'responder-out-of-service');

    await page.tap('button[data-in-service]');
    await page.waitForFunction(() => document.querySelector('#r-task')?.textContent?.includes('No current task'), null, { timeout: 5000 });
    expect(await page.$('button[data-in-service]')).toBeNull();
    await console.page.waitForSelector(`.unit-chip[data-unit-id="${silent.unit_id}"][data-status="available"]`, { timeout: 5000 });
    const unit = await env.server.db.query(`SELECT status FROM unit WHERE id = $1`, [silent.unit_id]);
    expect(unit.rows[0].status).toBe('available');
    expect(errors).toEqual([]);
    expect(console.errors).toEqual([]);
    await phone.close();
    await console.context.close();
  });
});
