/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openResponder, PHONE, postCall, useServerAndChromium } from './support/browser';

describe('status changes a responder makes while offline are queued and sent in order, with the times they were made', () => {
  const env = useServerAndChromium('outbox');

  /** Posts the n-th real medical call and opens the phone of the first unit sent, showing its task. */
  async function taskOnPhone(n: number) {
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[n];
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [assignment] = await assignmentsOfCall(env.server, call.callNumber);
    const phone = await env.browser.newContext(PHONE);
    const { page, errors } = await openResponder(phone, env.server, assignment.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${assignment.id}"]`, { timeout: 15000 });
    // Steps go in order (issue 26): the crew acknowledges online first.
    await page.tap('.status-btn.ack');
    await waitFor(
      async () => (await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [assignment.id])).rows[0].status === 'acknowledged',
      15000,
      'the acknowledgement to arrive',
    );
    await page.waitForSelector('#r-task[data-status="acknowledged"]', { timeout: 10000 });
    return { assignment, phone, page, errors };
  }

  it('en route and on scene tapped offline reach the server after reconnecting, stamped with the tap times', async () => {
    const { assignment, phone, page, errors } = await taskOnPhone(2);

    await phone.setOffline(true);
    await page.tap('.status-btn.en_route');
    await page.waitForTimeout(1100); // two taps at clearly different instants
    await page.tap('.status-btn.on_scene');
    const queued = await page.waitForFunction(() => {
      const items = (window as any).__cadResponder.outbox();
      return items.length === 2 ? items : null;
    });
    const [enRoute, onScene] = (await queued.jsonValue()) as Array<{
      status: string;
      at: string;
    }>;
    expect([enRoute.status, onScene.status]).toEqual(['en_route', 'on_scene']);
    expect(await page.textContent('#r-outbox')).toBe('2 to send');
    // Nothing reached the server while offline; the phone shows the status it set.
    expect((await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [assignment.id])).rows[0].status).toBe('acknowledged');
    await page.waitForSelector('#r-task[data-status="on_scene"]');
    // Every status the task card shows from here on (the card is redrawn whole: watch the section).
    await page.evaluate(() => {
      const w = window as unknown as { cardStatuses: string[] };
      w.cardStatuses = [];
      const el = document.getElementById('r-task')!;
      new MutationObserver(() => {
        const shown = `${el.dataset.status}/${el.querySelector('.task-status-value')?.textContent}`;
        if (w.cardStatuses[w.cardStatuses.length - 1] !== shown) w.cardStatuses.push(shown);
      }).observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
    });

    await phone.setOffline(false);
    const row = await waitFor(
      async () => {
        const r = await env.server.db.query(`SELECT status, en_route_at, on_scene_at FROM assignment WHERE id = $1`, [assignment.id]);
        return r.rows[0].status === 'on_scene' ? r.rows[0] : null;
      },
      20000,
      'the queued changes to arrive',
    );
    expect(new Date(row.en_route_at).toISOString()).toBe(enRoute.at);
    expect(new Date(row.on_scene_at).toISOString()).toBe(onScene.at);
    await page.waitForFunction(() => (window as any).__cadResponder.outbox().length === 0);
    await page.waitForSelector('#r-outbox', { state: 'hidden' });
    // The flush and the server's answers redraw the card: it never flicks back to an older status.
    await page.waitForTimeout(1500); // the reload after the flush, and the socket's events, have redrawn it
    const shown = await page.evaluate(() => (window as unknown as { cardStatuses: string[] }).cardStatuses);
    expect(shown.every((x) => x === 'on_scene/on scene')).toBe(true);
    expect(await page.getAttribute('#r-task', 'data-status')).toBe('on_scene');
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('a change made offline that is older than the status now in force is recorded but does not overwrite it', async () => {
    const { assignment, phone, page, errors } = await taskOnPhone(4);

    await phone.setOffline(true);
    await page.tap('.status-btn.en_route');
    const [queued] = (await (await page.waitForFunction(() => (window as any).__cadResponder.outbox())).jsonValue()) as Array<{
      at: string;
    }>;
    // Meanwhile the crew's status is set en route then on scene from elsewhere (another crew member's
    // phone), later (steps go in order on the server).
    for (const [status, ms] of [['en_route', 500], ['on_scene', 1000]] as const) {
      const r = await env.server.request('PATCH', `/api/assignments/${assignment.id}`, { status, at: new Date(Date.parse(queued.at) + ms).toISOString() });
      expect(r.status).toBe(200);
    }

    await phone.setOffline(false);
    // The page says so only once it shows the status in force, and in words that match it.
    await page.waitForFunction(() => document.querySelector('#r-message')?.textContent?.includes('not applied'), null, {
      timeout: 20000,
    });
    expect(await page.textContent('#r-message')).toBe('En route recorded but not applied: the task is already on scene (shown above).');
    expect(await page.getAttribute('#r-task', 'data-status')).toBe('on_scene');
    expect(await page.textContent('#r-task .task-status-value')).toBe('on scene');
    const late = await env.server.db.query(`SELECT payload FROM incident_event WHERE type = 'assignment.late_report' AND unit_id = $1`, [
      assignment.unit_id,
    ]);
    expect(late.rows.map((r) => r.payload.reported)).toEqual(['en_route']);
    expect((await env.server.db.query(`SELECT status FROM assignment WHERE id = $1`, [assignment.id])).rows[0].status).toBe('on_scene');
    await page.waitForSelector('#r-task[data-status="on_scene"]', { timeout: 10000 });
    expect(errors).toEqual([]);
    await phone.close();
  });
});
