/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * The acknowledgement policy in the console: a unit silent at the first timeout (6 s here: the click must come before the second timeout replaces the unit, also on a loaded machine) raises a
 * NOT ACKNOWLEDGED box over the map with Re-page, Replace and Out of service; Re-page pages the phone
 * again and clears it; silent again, the box comes back, and Out of service takes the unit out of
 * service (another unit is sent) and clears it.
 */
describe('a dispatcher alerted to a silent unit', () => {
  const env = useServerAndChromium('ack-alert', { ACK_TIMEOUT_S: '6' });

  it('re-pages it, then takes it out of service, from the alert', async () => {
    const console = await openConsole(env.browser, env.server);
    console.page.on('dialog', (d) => void d.accept());
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    const silent = tasks[0];
    for (const t of tasks.slice(1)) expect((await env.server.request('PATCH', `/api/assignments/${t.id}`, { status: 'acknowledged' })).status).toBe(200);

    const alert = `#ack-alerts .ack-alert[data-assignment-id="${silent.id}"]`;
    await console.page.waitForSelector(alert, { timeout: 25000 });
    expect(await console.page.textContent(alert)).toContain(`${silent.unit_id} has not acknowledged its task (6 s)`);
    for (const action of ['repage', 'replace', 'out-of-service']) expect(await console.page.$(`${alert} button[data-ack-action="${action}"]`)).not.toBeNull();
    await screenshot(console.page, 'console-ack-alert');

    await console.page.click(`${alert} button[data-ack-action="repage"]`);
    await console.page.waitForSelector(alert, { state: 'detached', timeout: 5000 });
    const repaged = await env.server.db.query(`SELECT 1 FROM incident_event WHERE type = 'assignment.repaged' AND unit_id = $1`, [silent.unit_id]);
    expect(repaged.rows).toHaveLength(1);
    // Unit still on the task; still silent: the alert comes back after another timeout.
    await console.page.waitForSelector(alert, { timeout: 25000 });
    await console.page.click(`${alert} button[data-ack-action="out-of-service"]`);
    await console.page.waitForSelector(alert, { state: 'detached', timeout: 5000 });
    await console.page.waitForSelector(`.unit-chip[data-unit-id="${silent.unit_id}"][data-status="out_of_service"]`, { timeout: 5000 });
    const replacement = await waitFor(async () => (await env.server.db.query(`SELECT unit_id FROM assignment WHERE replaces_id = $1`, [silent.id])).rows[0], 15000, 'another unit sent');
    expect(replacement.unit_id).not.toBe(silent.unit_id);
    expect(console.errors).toEqual([]);
    await console.context.close();
  });
});
