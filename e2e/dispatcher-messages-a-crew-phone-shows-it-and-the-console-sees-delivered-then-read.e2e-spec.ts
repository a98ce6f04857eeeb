/// <reference lib="dom" />
import { callBody, realCalls } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, openResponder, PHONE, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * A message to a crew from the incident card: the crew's phone shows it (and confirms delivery), the
 * console's card follows its receipt from delivered to read when the crew taps Read.
 */
describe('a dispatcher messages a crew', () => {
  const env = useServerAndChromium('unit-message', { ACK_TIMEOUT_S: '3600' });

  it('reaches the phone; the card shows delivered, then read', async () => {
    const console = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [task] = await assignmentsOfCall(env.server, call.callNumber);
    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, task.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${task.id}"]`, { timeout: 15000 });

    const [{ incident_id: incidentId }] = (await env.server.db.query(`SELECT incident_id FROM assignment WHERE id = $1`, [task.id])).rows;
    await console.page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await console.page.waitForSelector('#detail .um-form', { timeout: 10000 });
    await console.page.selectOption('#detail .um-form select[name="unitId"]', task.unit_id);
    await console.page.fill('#detail .um-form input[name="text"]', 'Use the north gate');
    await console.page.press('#detail .um-form input[name="text"]', 'Enter');

    await page.waitForSelector('#r-messages .r-msg', { timeout: 10000 });
    expect(await page.textContent('#r-messages')).toContain('Use the north gate');
    await console.page.waitForSelector('#detail .um-list li[data-state="delivered"]', { timeout: 10000 });
    await screenshot(page, 'responder-message-from-dispatch');
    await page.tap('#r-messages button[data-read-message]');
    await console.page.waitForSelector('#detail .um-list li[data-state="read"]', { timeout: 10000 });
    await screenshot(console.page, 'console-message-read');
    expect(errors).toEqual([]);
    expect(console.errors).toEqual([]);
    await phone.close();
    await console.context.close();
  });
});
