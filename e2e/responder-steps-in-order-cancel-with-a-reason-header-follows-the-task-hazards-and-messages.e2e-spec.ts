/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openResponder, PHONE, postCall, screenshot, useServerAndChromium } from './support/browser';

/**
 * Issue 26 part 6, in Chromium on a phone (390×844): the responder's steps go strictly in order
 * (Available is never offered straight after Acknowledge), the header follows the task (never
 * DISPATCHED after acknowledging), a task is cancelled before on scene only with a reason from the list,
 * which the server records; the hazard note at the address and a message from dispatch are on the
 * phone, and the message is read. The server refuses the same shortcut (409 naming the rule).
 */
describe('the responder page: steps in order, cancel with a reason, header following the task, hazards and messages', () => {
  const env = useServerAndChromium('responder-steps', { ACK_TIMEOUT_S: '3600' });

  it('walks one task in order to available, and cancels another with a reason', async () => {
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[3];
    const body = callBody(call);
    // The city keeps a hazard note at this address: the crews see it on their phones.
    const note = await env.server.request('POST', '/api/premise-notes', { lat: body.lat, lon: body.lon, kind: 'hazard', text: 'Dog on premises, oxygen in use' });
    expect(note.status).toBe(201);
    expect((await postCall(env.server, body)).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    expect(tasks.length).toBeGreaterThanOrEqual(1);
    const [first] = tasks;

    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, first.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${first.id}"]`, { timeout: 15000 });
    await page.waitForSelector('#r-conn[data-state="live"]', { timeout: 15000 });
    await page.waitForSelector('#r-premise .premise-hazard', { timeout: 10000 });
    expect(await page.textContent('#r-premise')).toContain('Dog on premises, oxygen in use');

    // Before acknowledging: only Acknowledge is offered; Available is not.
    const enabled = () => page.$$eval('#r-actions button[data-status]:not([disabled])', (bs) => bs.map((b) => (b as HTMLElement).dataset.status));
    expect(await enabled()).toEqual(['acknowledged']);
    expect(await page.textContent('#r-unit-status')).toBe('dispatched');
    await page.tap('.status-btn.ack');
    // The header follows the task: acknowledged, never dispatched any more.
    await page.waitForSelector('#r-unit-status[data-status="acknowledged"]', { timeout: 10000 });
    expect(await page.textContent('#r-unit-status')).toBe('acknowledged');
    // The longest status on a 390 px phone: every header control is wholly on the screen (it wraps, never cuts).
    for (const sel of ['#r-callsign', '#r-unit-status', '#r-conn', '#r-change']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect([sel, box.x >= 0 && box.x + box.width <= PHONE.viewport.width]).toEqual([sel, true]);
    }
    await waitFor(async () => (await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [first.id])).rows[0].status === 'acknowledged', 10000, 'the acknowledgement');
    expect(await enabled()).toEqual(['en_route']);
    expect(await page.$eval('.status-btn.available', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await screenshot(page, 'responder-acknowledged-header-follows-the-task');

    // The hostile twin on the server: available straight after acknowledge is refused, naming the rule.
    const shortcut = await env.server.request('PATCH', `/api/assignments/${first.id}`, { status: 'cleared' });
    expect(shortcut.status).toBe(409);
    expect(shortcut.body.message).toContain('one step at a time');

    // A message from dispatch reaches the phone, above the task, and the crew reads it.
    const sent = await env.server.request('POST', `/api/units/${first.unit_id}/messages`, { text: 'Enter by the side gate' });
    expect(sent.status).toBe(201);
    await page.waitForSelector('#r-messages .r-msg', { timeout: 10000 });
    expect(await page.textContent('#r-messages')).toContain('Enter by the side gate');
    await page.tap('#r-messages button[data-read-message]');
    await waitFor(async () => (await env.server.db.query(`SELECT read_at FROM unit_message WHERE id = $1`, [sent.body.id])).rows[0]?.read_at, 10000, 'the read receipt');

    // En route, on scene: each step in turn; the header says so; then Available is offered.
    await page.tap('.status-btn.en_route');
    await page.waitForSelector('#r-unit-status[data-status="en_route"]', { timeout: 10000 });
    await page.waitForSelector('.status-btn.on_scene:not([disabled])', { timeout: 10000 });
    await page.tap('.status-btn.on_scene');
    await page.waitForSelector('#r-unit-status[data-status="on_scene"]', { timeout: 10000 });
    await page.waitForSelector('.status-btn.available:not([disabled])', { timeout: 10000 });
    expect(await page.$('button[data-cancel-task]')).toBeNull();
    await screenshot(page, 'responder-on-scene-available-offered');
    await page.tap('.status-btn.available');
    await waitFor(async () => (await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [first.id])).rows[0].status === 'cleared', 10000, 'available');
    const [done] = (await env.server.db.query(`SELECT cancel_reason FROM assignment WHERE id = $1`, [first.id])).rows;
    expect(done.cancel_reason).toBeNull();
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('cancels a task before on scene only with a reason chosen from the list, and the server records it', async () => {
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[5];
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [task] = await assignmentsOfCall(env.server, call.callNumber);
    const phone = await env.browser.newContext({ ...PHONE });
    const { page, errors } = await openResponder(phone, env.server, task.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${task.id}"]`, { timeout: 15000 });
    await page.tap('.status-btn.ack');
    await page.waitForSelector('#r-unit-status[data-status="acknowledged"]', { timeout: 10000 });

    await page.tap('button[data-cancel-task]');
    await page.waitForSelector('.r-cancel button[data-cancel-reason]');
    const reasons = await page.$$eval('.r-cancel button[data-cancel-reason]', (bs) => bs.map((b) => (b as HTMLElement).dataset.cancelReason));
    expect(reasons).toEqual(['cancelled_by_dispatch', 'not_needed', 'unable_to_locate', 'handled_by_another_unit']);
    await screenshot(page, 'responder-cancel-asks-why');
    // Back leaves the task as it was.
    await page.tap('.r-cancel button[data-cancel-back]');
    await page.waitForSelector('button[data-cancel-task]');
    expect((await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [task.id])).rows[0].status).toBe('acknowledged');

    await page.tap('button[data-cancel-task]');
    await page.tap('.r-cancel button[data-cancel-reason="handled_by_another_unit"]');
    const row = await waitFor(
      async () => {
        const [r] = (await env.server.db.query(`SELECT status, cancel_reason FROM assignment WHERE id = $1`, [task.id])).rows;
        return r.status === 'cleared' ? r : null;
      },
      10000,
      'the cancel',
    );
    expect(row.cancel_reason).toBe('handled_by_another_unit');
    const [ev] = (
      await env.server.db.query(`SELECT payload FROM incident_event WHERE type = 'assignment.updated' AND payload->'assignment'->>'id' = $1 AND payload->'assignment'->>'status' = 'cleared'`, [task.id])
    ).rows;
    expect(ev.payload.assignment.cancelReason).toBe('handled_by_another_unit');
    await page.waitForSelector('#r-task .no-task', { timeout: 10000 });
    await screenshot(page, 'responder-cancelled-no-task');
    expect(errors).toEqual([]);
    await phone.close();
  });
});
