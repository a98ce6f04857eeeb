/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, screenshot, signInConsole, useServerAndChromium, watchedPage } from './support/browser';

interface UnitRow {
  id: string;
  callsign: string;
  capabilities: string[];
  status: string;
}

/**
 * When crews' phones are down the dispatcher works the incident from the console: records a crew's
 * status given by radio (acknowledged, then en route) on its task row, assigns another unit by hand
 * (U, the unit id typed in lower case, Enter; a second try shows the server's refusal), puts an
 * out-of-service unit back in service from the unit board, and sees which incidents are held for a
 * dispatcher (HELD, with the reason) without opening them. An observer is offered none of it.
 */
describe('a dispatcher working incidents whose crews report by radio', () => {
  // Long acknowledgement timeout: the silent crews' tasks stay theirs for the whole test.
  const env = useServerAndChromium('radio-status-by-hand', { ACK_TIMEOUT_S: '600' });

  it('records radio statuses, assigns by hand, puts a unit back in service, and tags held incidents', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const db = env.server.db;
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    const task = tasks[0];
    const incidentId = task.incident_id;
    const statusOf = async (id: string) => (await db.query<{ status: string }>(`SELECT status FROM assignment WHERE id = $1`, [id])).rows[0].status;
    expect(await statusOf(task.id)).toBe('dispatched');

    // Radio: "acknowledged", then "en route", each from the task's row; the row follows the live event.
    await page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    const row = `#detail li[data-assignment-id="${task.id}"]`;
    await page.click(`${row} button[data-cmd="record-status"][data-status="acknowledged"]`, { timeout: 10000 });
    await waitFor(async () => ((await statusOf(task.id)) === 'acknowledged' ? true : null), 5000, 'the task acknowledged');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .asg-status`)?.textContent === 'acknowledged', row, { timeout: 5000 });
    await page.click(`${row} button[data-cmd="record-status"][data-status="en_route"]`, { timeout: 5000 });
    await waitFor(async () => ((await statusOf(task.id)) === 'en_route' ? true : null), 5000, 'the task en route');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .asg-status`)?.textContent === 'en route', row, { timeout: 5000 });
    expect(await page.$(`${row} button[data-status="on_scene"]`)).not.toBeNull();
    const view = (await env.server.request('GET', `/api/incidents/${incidentId}`)).body as { assignments: Array<{ id: string; status: string }> };
    expect(view.assignments.find((a) => a.id === task.id)?.status).toBe('en_route');

    // By hand: U, a free engine's id typed in lower case, Enter.
    const units = (await env.server.request('GET', '/api/units')).body as UnitRow[];
    const taken = new Set(tasks.map((t) => t.unit_id));
    const free = units.filter((u) => u.status === 'available' && !taken.has(u.id));
    const extra = free.find((u) => u.capabilities.includes('engine'))!;
    await page.focus('body');
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.activeElement?.id === 'assign-unit', null, { timeout: 5000 });
    await page.keyboard.type(extra.id.toLowerCase());
    await page.keyboard.press('Enter');
    const handTask = await waitFor(
      async () => (await db.query<{ id: string; status: string }>(`SELECT id, status FROM assignment WHERE incident_id = $1 AND unit_id = $2`, [incidentId, extra.id])).rows[0] ?? null,
      10000,
      'the unit assigned by hand',
    );
    expect(handTask.status).toBe('dispatched');
    await page.waitForSelector(`#detail li[data-assignment-id="${handTask.id}"][data-unit-id="${extra.id}"]`, { timeout: 5000 });
    expect(await page.inputValue('#assign-unit')).toBe('');
    // The same unit again: the server refuses (it is dispatched, on this incident) and the console says so.
    await page.keyboard.press('Escape'); // leaves the field, so that U is a shortcut again
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.activeElement?.id === 'assign-unit', null, { timeout: 5000 });
    await page.keyboard.type(extra.id.toLowerCase());
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#load-status.error')?.textContent?.includes('not available'), null, { timeout: 5000 });
    expect(await page.textContent('#load-status')).toContain(`unit ${extra.id} is dispatched on incident ${incidentId}`);
    expect((await db.query(`SELECT 1 FROM assignment WHERE incident_id = $1 AND unit_id = $2`, [incidentId, extra.id])).rowCount).toBe(1);
    await page.keyboard.press('Escape');
    await screenshot(page, 'console-radio-status-and-assign-by-hand');

    // Back in service from the unit board.
    const oos = free.find((u) => u.id !== extra.id)!;
    expect((await env.server.request('PATCH', `/api/units/${oos.id}`, { status: 'out_of_service' })).status).toBe(200);
    const back = `#unit-list button[data-cmd="back-in-service"][data-unit-id="${oos.id}"]`;
    await page.click(back, { timeout: 10000 });
    await waitFor(
      async () => ((await db.query<{ status: string }>(`SELECT status FROM unit WHERE id = $1`, [oos.id])).rows[0].status === 'available' ? true : null),
      5000,
      'the unit back in service',
    );
    await page.waitForSelector(`.unit-chip[data-unit-id="${oos.id}"][data-status="available"]`, { timeout: 5000 });
    expect(await page.$(back)).toBeNull();

    // A held incident (phones down) is tagged HELD in its queue row, the reason as its title.
    const fire = realCalls().find((c) => c.type === 'Structure Fire')!;
    expect((await postCall(env.server, callBody(fire))).status).toBe(202);
    // Once dispatch has done its part (its units are sent), the incident is held as the server would hold it.
    const heldId = (await assignmentsOfCall(env.server, fire.callNumber))[0].incident_id;
    const why = 'E08 did not acknowledge, and 5 units are already out of service for not acknowledging (phones may be down): task kept; reach the crew by radio and record its status, or assign by hand';
    await db.query(`UPDATE incident SET auto_dispatch = false, last_error = $2 WHERE id = $1`, [heldId, why]);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#conn-status[data-state="live"]', { timeout: 20000 });
    const tag = await page.waitForSelector(`.incident-row[data-incident-id="${heldId}"] .held-tag`, { timeout: 15000 });
    expect(await tag.textContent()).toBe('HELD');
    expect(await tag.getAttribute('title')).toBe(why);
    expect(await page.$(`.incident-row[data-incident-id="${incidentId}"] .held-tag`)).toBeNull();
    await screenshot(page, 'console-held-incident-tag');

    // An observer sees the tag but none of the controls.
    expect((await env.server.request('PATCH', `/api/units/${oos.id}`, { status: 'out_of_service' })).status).toBe(200);
    const observerContext = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const observer = await watchedPage(observerContext);
    await observer.page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(observer.page, 'observer');
    await observer.page.waitForSelector('#conn-status[data-state="live"]', { timeout: 20000 });
    await observer.page.waitForSelector(`.incident-row[data-incident-id="${heldId}"] .held-tag`, { timeout: 15000 });
    await observer.page.waitForSelector(`.unit-chip[data-unit-id="${oos.id}"][data-status="out_of_service"]`, { timeout: 15000 });
    await observer.page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await observer.page.waitForSelector(`#detail li[data-assignment-id="${task.id}"]`);
    expect(await observer.page.isVisible('#detail button[data-cmd="record-status"]')).toBe(false);
    expect(await observer.page.isVisible('#detail .assign-form')).toBe(false);
    expect(await observer.page.$$('#unit-list button[data-cmd="back-in-service"]')).toEqual([]);
    expect(observer.errors).toEqual([]);
    await observerContext.close();

    expect(errors).toEqual([]);
    await context.close();
  });
});
