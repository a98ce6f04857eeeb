/// <reference lib="dom" />
import { waitFor } from '@cad/db/testing';
import { openConsole, openResponder, PHONE, useServerAndChromium } from './support/browser';

/**
 * Positions to trust, in Chromium: the unit board marks a unit whose only fix is 20 minutes old, the
 * header lists a phone whose clock is 10 minutes fast, an incident whose typed address is 957 m from
 * the caller's device is flagged LOCATION UNCONFIRMED with the device point drawn, and the dispatcher
 * moves it to the device point from the card: the crew's phone shows LOCATION CHANGED and the crew
 * acknowledges it.
 */
describe('the console shows fix age, clock skew, an unconfirmed location, and a location change reaching the crew', () => {
  const env = useServerAndChromium('positions-console');

  it('from the unit board to the crew acknowledging the new location', async () => {
    const s = env.server;
    const token = await s.signIn();
    const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(s.url + p, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const stale = await post('/api/units/E02/position', { lat: 37.7948, lon: -122.405, at: new Date(Date.now() - 20 * 60_000).toISOString() });
    expect(stale.status).toBe(200);
    const fast = await post('/api/units/E28/position', { lat: 37.8031, lon: -122.4122 }, { 'x-device-id': 'phone-e28', 'x-device-time': new Date(Date.now() + 600_000).toISOString() });
    expect(fast.status).toBe(200);
    const device = (await s.request('GET', `/api/geocode?q=${encodeURIComponent('550 Columbus Ave')}`)).body;
    const call = await s.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: device.lat, lon: device.lon, accuracyM: 20, address: '1250 Columbus Ave' });
    expect(call.status).toBe(202);
    const incidentId = await waitFor(async () => {
      const r = await s.db.query(`SELECT i.id FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1 AND i.status = 'dispatched'`, [call.body.id]);
      return r.rows[0]?.id as string | undefined;
    }, 30000, 'the flagged incident dispatched');

    const { page, errors, context } = await openConsole(env.browser, s);
    expect(await page.getAttribute('.unit-chip[data-unit-id="E02"]', 'title')).toMatch(/STALE fix 2\d min old/);
    await page.waitForSelector('#clock-skew:not([hidden])', { timeout: 10000 });
    expect(await page.textContent('#clock-skew')).toContain('phone-e28');

    await page.click(`.incident-row[data-incident-id="${incidentId}"]`);
    await page.waitForSelector('.location-unconfirmed', { timeout: 10000 });
    expect(await page.textContent('.location-unconfirmed')).toContain('LOCATION UNCONFIRMED');
    expect(await page.evaluate(() => document.querySelectorAll('.device-point').length)).toBe(1);

    const [crewUnit] = (await s.db.query(`SELECT unit_id FROM assignment WHERE incident_id = $1 ORDER BY unit_id LIMIT 1`, [incidentId])).rows.map((r) => r.unit_id as string);
    const phone = await env.browser.newContext(PHONE);
    const responder = await openResponder(phone, s, crewUnit);
    await responder.page.waitForSelector('#r-task .task-l1', { timeout: 20000 });

    page.once('dialog', (d) => void d.accept('caller confirmed the device point'));
    await page.click('[data-cmd="location-to-device"]');
    await page.waitForSelector('.location-unconfirmed', { state: 'detached', timeout: 10000 });
    await responder.page.waitForSelector('.r-location-alert', { timeout: 10000 });
    const banner = await responder.page.textContent('.r-location-alert');
    expect(banner).toContain('LOCATION CHANGED');
    expect(banner).toContain('1250 Columbus Ave');
    await responder.page.tap('[data-ack-location]');
    await responder.page.waitForSelector('.r-location-alert', { state: 'detached', timeout: 10000 });
    const acked = await s.db.query(`SELECT acknowledged_at FROM location_alert WHERE unit_id = $1`, [crewUnit]);
    expect(acked.rows[0].acknowledged_at).not.toBeNull();
    expect(errors).toEqual([]);
    expect(responder.errors).toEqual([]);
    await phone.close();
    await context.close();
  });
});
