/// <reference lib="dom" />
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, postCall, screenshot, useServerAndChromium } from './support/browser';

/** The PAR interval of this spec, seconds (short, so the timer falls due during the test). */
const PAR_S = 6;

/**
 * On-scene welfare (PAR) in San Francisco: `PAR_S` seconds after a unit arrives on scene the console
 * shows "PAR due" over the map (not before); **PAR done** records it (an `incident.par` event, one
 * timeline line) and clears the box, which comes back one interval later. The card of the same incident
 * says San Francisco's profile lists no hospitals, and offers none to choose.
 */
describe('PAR timer on scene in the console', () => {
  const env = useServerAndChromium('par-timer', { PAR_INTERVAL_S: String(PAR_S), ACK_TIMEOUT_S: '3600' });

  it('falls due after the interval, PAR done clears it, and it comes back after the interval', async () => {
    const console = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    // The crew that transports (an ambulance: MEDIC or PRIVATE): only its card line is offered a hospital, as on its phone.
    const tasks = await assignmentsOfCall(env.server, call.callNumber);
    const types = new Map(
      (await env.server.db.query<{ id: string; unit_type: string }>(`SELECT id, unit_type FROM unit WHERE world = 'live' AND id = ANY($1)`, [tasks.map((a) => a.unit_id)])).rows.map((u) => [u.id, u.unit_type]),
    );
    const task = tasks.find((a) => ['MEDIC', 'PRIVATE'].includes(types.get(a.unit_id) ?? ''))!;
    expect(task).toBeDefined();
    await console.page.click(`.incident-row[data-incident-id="${task.incident_id}"]`);
    await console.page.waitForSelector('#detail li[data-seq]', { timeout: 10000 });

    for (const status of ['acknowledged', 'en_route', 'on_scene']) {
      expect((await env.server.request('PATCH', `/api/assignments/${task.id}`, { status })).status).toBe(200);
    }
    const onSceneAt = Date.now();
    // San Francisco's profile lists no hospitals: the card says so and offers no choice.
    await console.page.waitForSelector('#detail .hospitals .hospital-empty', { timeout: 10000 });
    expect(await console.page.textContent('#detail .hospital-empty')).toContain('The city profile lists no hospitals');
    expect(await console.page.$(`#detail select[data-hospital-for="${task.id}"]`)).toBeNull();

    // Not due yet.
    expect(await console.page.isHidden('#par-alerts')).toBe(true);
    const box = `#par-alerts .ack-alert[data-incident-id="${task.incident_id}"]`;
    await console.page.waitForSelector(box, { timeout: (PAR_S + 10) * 1000 });
    expect(Date.now() - onSceneAt).toBeGreaterThanOrEqual((PAR_S - 1) * 1000);
    expect(await console.page.textContent('#par-alerts')).toContain('Personnel accountability check due');
    expect(await console.page.evaluate(() => (window as unknown as { __cadConsole: { parAlerts: { shown: number } } }).__cadConsole.parAlerts.shown)).toBe(1);
    await screenshot(console.page, 'console-par-due');

    await console.page.click(`${box} button[data-par-done="${task.incident_id}"]`);
    await console.page.waitForSelector('#par-alerts', { state: 'hidden', timeout: 5000 });
    const doneAt = Date.now();
    const par = await waitFor(async () => {
      const r = await env.server.db.query(`SELECT actor, payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.par'`, [task.incident_id]);
      return r.rowCount ? r.rows : null;
    }, 5000, 'the PAR recorded');
    expect(par).toEqual([{ actor: 'commander', payload: expect.objectContaining({ incidentId: task.incident_id, units: [task.unit_id] }) }]);
    await console.page.waitForFunction(
      () => Array.from(document.querySelectorAll('#detail li[data-seq]')).some((li) => (li.textContent ?? '').includes('PAR done: personnel accounted for')),
      null,
      { timeout: 10000 },
    );

    // Still clear a moment later (the reload after the event does not bring it back early) ...
    await console.page.waitForTimeout(2000);
    expect(await console.page.isHidden('#par-alerts')).toBe(true);
    // ... and due again one interval after the PAR.
    await console.page.waitForSelector(box, { timeout: (PAR_S + 10) * 1000 });
    expect(Date.now() - doneAt).toBeGreaterThanOrEqual((PAR_S - 1) * 1000);
    expect(await console.page.evaluate(() => (window as unknown as { __cadConsole: { parAlerts: { shown: number } } }).__cadConsole.parAlerts.shown)).toBe(2);
    expect(console.errors).toEqual([]);
    await console.context.close();
  });
});
