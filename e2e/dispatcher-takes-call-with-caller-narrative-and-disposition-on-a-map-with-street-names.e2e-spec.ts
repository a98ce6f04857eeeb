/// <reference lib="dom" />
import { walkToAvailable } from './support/walk-task';
import { realCalls, waitFor } from '@cad/db/testing';
import { openConsole, openResponder, PHONE, screenshot, signInConsole, useServerAndChromium, watchedPage } from './support/browser';

/**
 * Issue 26 in Chromium: a dispatcher takes a call with the caller's name and callback number (a bad
 * number is refused before anything is posted), writes narrative entries (a crew's arrives live and
 * the text being typed survives it), Enter zooms to the incident where street names from the road data
 * are drawn (none at city zoom), an observer sees the narrative but never the caller, and the incident
 * closes only with a disposition code.
 */
describe('a dispatcher takes a call with caller, narrative and disposition, on a map with street names', () => {
  const env = useServerAndChromium('call-record');

  it('takes, runs and closes the call through the call-record card', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    const callsBefore = Number((await env.server.db.query(`SELECT count(*) AS n FROM call`)).rows[0].n);

    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    await page.fill('#call-type', 'Medical Incident');
    await page.selectOption('#call-priority', '1');
    await page.fill('#call-lat', String(call.lat));
    await page.fill('#call-lon', String(call.lon));
    await page.fill('#call-caller-name', '李雷');
    // Hostile twin: a callback number that is not one is refused in the form; nothing is posted.
    await page.fill('#call-callback', 'call me later');
    await page.press('#call-callback', 'Enter');
    await page.waitForFunction(() => document.getElementById('call-error')?.textContent?.includes('is not a callback number'));
    expect(await page.$('#call-dialog[open]')).not.toBeNull();
    expect(Number((await env.server.db.query(`SELECT count(*) AS n FROM call`)).rows[0].n)).toBe(callsBefore);

    await page.fill('#call-callback', '+1 (415) 555-0142');
    await page.press('#call-callback', 'Enter');
    await page.waitForSelector('#call-dialog:not([open])', { state: 'attached', timeout: 10000 });
    const selected = await page.waitForFunction(() => (window as any).__cadConsole.selected(), null, { timeout: 30000 });
    const incidentId = (await selected.jsonValue()) as string;

    // The card shows who called and the number to call back; the record keeps it apart from the event log.
    await page.waitForSelector('#detail .call-record .cr-caller', { timeout: 15000 });
    expect(await page.textContent('#detail .cr-caller-name')).toBe('李雷');
    expect(await page.textContent('#detail .cr-callback')).toBe('+1 (415) 555-0142');
    const stored = await env.server.db.query(`SELECT cc.caller_name, cc.callback_number FROM caller_contact cc JOIN call c ON c.id = cc.call_id WHERE c.incident_id = $1`, [incidentId]);
    expect(stored.rows).toEqual([{ caller_name: '李雷', callback_number: '+1 (415) 555-0142' }]);
    expect((await env.server.db.query(`SELECT 1 FROM incident_event WHERE payload::text LIKE '%555-0142%' OR payload::text LIKE '%李雷%'`)).rowCount).toBe(0);

    // The questions of the call type are asked after the P1 was dispatched (they never hold it); Enter saves the answers.
    await waitFor(async () => (await env.server.db.query(`SELECT 1 FROM assignment WHERE incident_id = $1`, [incidentId])).rowCount, 20000, 'the P1 to be dispatched');
    expect((await env.server.db.query(`SELECT 1 FROM call_answer a JOIN call c ON c.id = a.call_id WHERE c.incident_id = $1`, [incidentId])).rowCount).toBe(0);
    await page.waitForSelector('#detail .cr-answer-input[data-question-id="conscious"]', { timeout: 15000 });
    expect(await page.textContent('#detail .cr-questions li[data-question-id="conscious"] .cr-question')).toBe('Is the patient conscious?');
    await page.fill('#detail .cr-answer-input[data-question-id="conscious"]', 'no');
    await page.fill('#detail .cr-answer-input[data-question-id="breathing"]', 'yes, snoring');
    await page.press('#detail .cr-answer-input[data-question-id="breathing"]', 'Enter');
    await page.waitForFunction(() => document.querySelector('#detail .cr-questions li[data-question-id="breathing"] .cr-answer')?.textContent === 'yes, snoring', null, { timeout: 10000 });
    expect(await page.textContent('#detail .cr-questions li[data-question-id="conscious"] .cr-answer')).toBe('no');
    const answers = await env.server.db.query(`SELECT question_id, answer FROM call_answer a JOIN call c ON c.id = a.call_id WHERE c.incident_id = $1 ORDER BY question_id`, [incidentId]);
    expect(answers.rows).toEqual([{ question_id: 'breathing', answer: 'yes, snoring' }, { question_id: 'conscious', answer: 'no' }]);

    // A narrative entry by the dispatcher, with Enter.
    await page.click('#cr-narrative-input');
    await page.keyboard.type('Caller reports patient unconscious, breathing');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#detail .cr-narrative')?.textContent?.includes('Caller reports patient unconscious, breathing'));
    expect(await page.textContent('#detail .cr-narrative li:first-child .cr-author')).toBe('commander');

    // The crew writes one from the field while the dispatcher is typing: it appears live, the typing is kept.
    await page.click('#cr-narrative-input');
    await page.keyboard.type('Gate code');
    const [crew] = (await env.server.db.query<{ unit_id: string }>(`SELECT unit_id FROM assignment WHERE incident_id = $1 ORDER BY dispatched_at LIMIT 1`, [incidentId])).rows;
    const crewToken = await env.server.signIn(crew.unit_id.toLowerCase());
    expect((await env.server.request('POST', `/api/incidents/${incidentId}/narrative`, { text: 'Side door on Polk, stairs' }, crewToken)).status).toBe(201);
    await page.waitForFunction(() => document.querySelectorAll('#detail .cr-narrative li').length === 2, null, { timeout: 10000 });
    expect(await page.textContent('#detail .cr-narrative li:nth-child(2) .cr-author')).toBe(crew.unit_id.toLowerCase());
    expect(await page.inputValue('#cr-narrative-input')).toBe('Gate code');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cr-narrative-input');
    await page.keyboard.type(' 4411');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#detail .cr-narrative li').length === 3);
    // One incident.narrative event per entry.
    const narrativeEvents = await env.server.db.query(`SELECT count(*) AS n FROM incident_event WHERE incident_id = $1 AND type = 'incident.narrative'`, [incidentId]);
    expect(Number(narrativeEvents.rows[0].n)).toBe(3);

    // At city zoom no street names; Enter zooms to the incident at street zoom, where they are drawn.
    await page.keyboard.press('Escape'); // leaves the narrative field
    await page.evaluate(() => void (window as any).__cadConsole.map.setZoom(14, { animate: false }));
    await page.waitForFunction(() => document.querySelectorAll('.street-label').length === 0);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as any).__cadConsole.map.getZoom() >= 17, null, { timeout: 10000 });
    // The incident is centred in the part of the map the detail card leaves free (its popup beside the card).
    const centre = await page.evaluate(() => (window as any).__cadConsole.map.getCenter());
    expect(Math.abs(centre.lat - call.lat)).toBeLessThan(0.0005);
    const at = await page.evaluate(([lat, lon]) => (window as any).__cadConsole.map.latLngToContainerPoint([lat, lon]), [call.lat, call.lon]);
    const size = await page.evaluate(() => (window as any).__cadConsole.map.getSize());
    const card = await page.evaluate(() => {
      const el = document.getElementById('detail')!;
      return el.hidden ? 0 : el.offsetLeft + el.offsetWidth;
    });
    expect(Math.abs(at.x - (card + size.x) / 2)).toBeLessThan(3);
    expect(Math.abs(at.y - size.y / 2)).toBeLessThan(3);
    await page.waitForFunction(() => document.querySelectorAll('.street-label').length > 0, null, { timeout: 10000 });
    const names = await page.$$eval('.street-label', (els) => els.map((e) => e.textContent ?? ''));
    const roads = (await env.server.request('GET', '/api/roads')).body.features.map((f: any) => f.properties.name).filter(Boolean);
    expect(names.every((n) => roads.includes(n))).toBe(true);
    expect(new Set(names).size).toBeGreaterThan(1);
    await screenshot(page, 'console-call-record-street-names');

    // An observer sees the narrative, never the caller, and cannot write.
    const obsContext = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const obs = await watchedPage(obsContext);
    await obs.page.goto(env.server.url, { waitUntil: 'domcontentloaded' });
    await signInConsole(obs.page, 'observer');
    await obs.page.click(`.incident-row[data-incident-id="${incidentId}"]`, { timeout: 30000 });
    await obs.page.waitForFunction(() => document.querySelectorAll('#detail .cr-narrative li').length === 3, null, { timeout: 15000 });
    expect(await obs.page.$('#detail .cr-caller')).toBeNull();
    expect(await obs.page.$('#detail .cr-questions')).toBeNull();
    expect(await obs.page.$('#cr-narrative-input')).toBeNull();
    expect(await obs.page.textContent('#detail')).not.toContain('555-0142');
    expect(obs.errors).toEqual([]);
    await obsContext.close();

    // The crew's phone shows the caller, the number to call back, the answers and the narrative under the status buttons.
    const phoneContext = await env.browser.newContext(PHONE);
    const phone = await openResponder(phoneContext, env.server, crew.unit_id);
    await phone.page.waitForSelector('#r-call-record .r-caller', { timeout: 20000 });
    expect(await phone.page.textContent('#r-call-record .r-caller-name')).toBe('李雷');
    expect(await phone.page.textContent('#r-call-record .r-callback')).toBe('+1 (415) 555-0142');
    expect(await phone.page.textContent('#r-call-record .r-answers')).toContain('Is the patient breathing normally?');
    expect(await phone.page.textContent('#r-call-record .r-answers')).toContain('yes, snoring');
    expect(await phone.page.$$eval('#r-call-record .r-narrative li', (els) => els.length)).toBe(3);
    await screenshot(phone.page, 'responder-call-record');
    expect(phone.errors).toEqual([]);
    await phoneContext.close();

    // The crews clear; C asks for a disposition, which is required.
    await waitFor(
      async () => {
        const r = await env.server.db.query<{ id: string; status: string }>(`SELECT id, status FROM assignment WHERE incident_id = $1`, [incidentId]);
        // Each crew walks its remaining steps in order (the server refuses a skipped one).
        for (const a of r.rows.filter((x) => x.status !== 'cleared')) await walkToAvailable(env.server, a.id, a.status);
        return (await env.server.db.query(`SELECT status FROM incident WHERE id = $1`, [incidentId])).rows[0].status === 'resolved';
      },
      20000,
      'every crew to clear',
    );
    await page.waitForSelector(`#resolved-list .incident-row.selected[data-incident-id="${incidentId}"]`, { timeout: 15000 });
    await page.keyboard.press('c');
    await page.waitForSelector('#disposition-dialog[open]');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#disposition-error')).toBe('Choose a disposition to close the incident');
    expect((await env.server.db.query(`SELECT status FROM incident WHERE id = $1`, [incidentId])).rows[0].status).toBe('resolved');
    await page.keyboard.type('Patient');
    expect(await page.inputValue('#disposition-code')).toBe('TRANSPORTED');
    // The code chosen answers the message: it is gone.
    await page.waitForFunction(() => document.getElementById('disposition-error')?.textContent === '', null, { timeout: 5000 });
    await screenshot(page, 'console-disposition-dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.type('to SF General');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.incident-row[data-incident-id="${incidentId}"]`, { state: 'detached', timeout: 15000 });
    const closed = await env.server.db.query(`SELECT status, disposition FROM incident WHERE id = $1`, [incidentId]);
    expect(closed.rows[0]).toEqual({ status: 'closed', disposition: 'TRANSPORTED: to SF General' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
