/// <reference lib="dom" />
import { callBody, realCalls } from '@cad/db/testing';
import { assignmentsOfCall, openConsole, openResponder, PHONE, postCall, screenshot, useServerAndChromium } from './support/browser';

describe('a responder on a phone-sized page takes the task, and the dispatcher console follows', () => {
  const env = useServerAndChromium('responder');

  it('the unit picks itself, sees the task, acknowledges, goes en route, and the console shows the new status within a second', async () => {
    const console = await openConsole(env.browser, env.server);
    const call = realCalls().find((c) => c.type === 'Medical Incident')!;
    expect((await postCall(env.server, callBody(call))).status).toBe(202);
    const [assignment] = await assignmentsOfCall(env.server, call.callNumber);

    // The phone is a block away from the incident, with location permission granted.
    const here = { latitude: call.lat + 0.002, longitude: call.lon - 0.002 };
    const phone = await env.browser.newContext({ ...PHONE, geolocation: here, permissions: ['geolocation'] });
    const { page, errors } = await openResponder(phone, env.server, assignment.unit_id);
    await page.waitForSelector(`#r-task[data-assignment-id="${assignment.id}"]`, { timeout: 15000 });
    expect(await page.textContent('#r-task')).toContain(call.address);
    await page.waitForSelector('#r-conn[data-state="live"]', {
      timeout: 15000,
    });
    expect(await page.textContent('#r-callsign')).toBe(assignment.unit_id);

    const features = await page.evaluate(() => (window as any).__cadResponder.features());
    const chip = (status: string) => `.incident-row .asg[data-unit-id="${assignment.unit_id}"].status-${status}`;
    if (features.acknowledged) {
      await page.tap('.status-btn.ack');
      await console.page.waitForSelector(chip('acknowledged'), {
        timeout: 1000,
      });
    }
    await page.tap('.status-btn.en_route');
    // The console shows the new status within one second of the tap.
    await console.page.waitForSelector(chip('en_route'), { timeout: 1000 });
    await console.page.waitForSelector(`.unit-chip[data-unit-id="${assignment.unit_id}"][data-status="en_route"]`, { timeout: 1000 });
    await page.waitForSelector('#r-task[data-status="en_route"]');
    expect(await page.$eval('.status-btn.en_route', (b) => (b as HTMLButtonElement).disabled)).toBe(true);

    // The phone reports its position; the unit moves on the console map.
    await page.waitForFunction(() => (window as any).__cadResponder.positionsSent() > 0, null, { timeout: 15000 });
    const unit = await env.server.db.query(`SELECT lat, lon FROM unit WHERE id = $1`, [assignment.unit_id]);
    expect(unit.rows[0].lat).toBeCloseTo(here.latitude, 6);
    expect(unit.rows[0].lon).toBeCloseTo(here.longitude, 6);
    await console.page.waitForFunction(
      ([id, lat]) => Math.abs((window as any).__cadConsole.store.units.get(id).lat - (lat as number)) < 1e-6,
      [assignment.unit_id, here.latitude] as const,
      { timeout: 5000 },
    );

    const row = await env.server.db.query(`SELECT status, en_route_at FROM assignment WHERE id = $1`, [assignment.id]);
    expect(row.rows[0].status).toBe('en_route');
    await screenshot(page, 'responder');
    await screenshot(console.page, 'console-responder-en-route');
    expect(errors).toEqual([]);
    expect(console.errors).toEqual([]);
    await phone.close();
    await console.context.close();
  });
});
