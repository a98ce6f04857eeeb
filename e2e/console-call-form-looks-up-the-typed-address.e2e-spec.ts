/// <reference lib="dom" />
import { haversineMetres } from '@cad/routing';
import { waitFor } from '@cad/db/testing';
import { openConsole, screenshot, useServerAndChromium } from './support/browser';

/**
 * The call taker types the address and presses Enter: the call is placed where the address is
 * (here the corner of Columbus Ave and Union St, from the OSM street names), not at the map centre,
 * and the form said where it found it.
 */
describe('the new-call form', () => {
  const env = useServerAndChromium('geocode-form');

  it('places the call at the typed address', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    await page.keyboard.type('Traffic Collision');
    await page.keyboard.press('Tab'); // priority
    await page.keyboard.press('Tab'); // address
    await page.keyboard.type('Columbus Ave & Union St');
    await page.keyboard.press('Tab'); // the lookup runs
    await page.waitForFunction(() => document.querySelector('#call-located')?.textContent?.startsWith('Located:'), null, { timeout: 10000 });
    expect(await page.textContent('#call-located')).toContain('intersection');
    await screenshot(page, 'call-form-located');
    await page.keyboard.press('Enter');
    const call = await waitFor(async () => {
      const r = await env.server.db.query(`SELECT lat, lon FROM call WHERE address = 'Columbus Ave & Union St'`);
      return r.rows[0];
    }, 15000, 'the call');
    // Washington Square's corner, not the map centre.
    expect(haversineMetres(call.lat, call.lon, 37.8007, -122.4101)).toBeLessThan(60);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * An address the lookup does not know must not send units to where the form last pointed (the map
 * centre, or the previous address): Enter is refused with a message in the form and nothing is posted,
 * until the call taker clicks the map after typing the address. Each address is looked up once.
 */
describe('the new-call form with an address it cannot locate', () => {
  const env = useServerAndChromium('geocode-form-unknown');

  it('refuses Enter until the address is located or the map clicked, and looks each address up once', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const lookups: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/geocode')) lookups.push(new URL(r.url()).searchParams.get('q') ?? '');
    });
    const callsAt = async (address: string) =>
      (await env.server.db.query<{ lat: number; lon: number }>(`SELECT lat, lon FROM call WHERE address = $1`, [address])).rows;

    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    await page.keyboard.type('Medical Incident');
    await page.keyboard.press('Tab'); // priority
    await page.keyboard.press('Tab'); // address
    await page.keyboard.type('Columbus Ave & Union St');
    await page.keyboard.press('Tab'); // the lookup runs
    await page.waitForFunction(() => document.querySelector('#call-located')?.textContent?.startsWith('Located:'), null, { timeout: 10000 });
    const located = await page.inputValue('#call-lat');
    expect(located).not.toBe('');

    // The address is changed to one no street matches: the previous position no longer holds.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Nonexistent Blvd 99');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('#call-located')?.textContent?.includes('not found (no street named NONEXISTENT BLVD 99)'), null, { timeout: 10000 });
    expect(await page.inputValue('#call-lat')).toBe('');
    expect(await page.inputValue('#call-lon')).toBe('');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /not located/.test(document.querySelector('#call-error')?.textContent ?? ''), null, { timeout: 5000 });
    expect(await page.textContent('#call-error')).toContain('Nonexistent Blvd 99');
    expect(await page.$('#call-dialog[open]')).not.toBeNull();

    // Edited again and Enter at once, without leaving the field: looked up (once), and refused too.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('End');
    await page.keyboard.type('A');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('#call-error')?.textContent ?? '').includes('Nonexistent Blvd 99A'), null, { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await callsAt('Nonexistent Blvd 99')).toEqual([]);
    expect(await callsAt('Nonexistent Blvd 99A')).toEqual([]);
    expect(lookups).toEqual(['Columbus Ave & Union St', 'Nonexistent Blvd 99', 'Nonexistent Blvd 99A']);

    // A click on the map after the address places the call there.
    const box = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(box.x + box.width - 160, box.y + box.height - 120);
    await page.waitForFunction(() => document.querySelector('#call-located')?.textContent?.includes('where you clicked'), null, { timeout: 5000 });
    expect(await page.textContent('#call-error')).toBe('');
    const lat = Number(await page.inputValue('#call-lat'));
    const lon = Number(await page.inputValue('#call-lon'));
    await page.click('#call-submit');
    const [call] = await waitFor(async () => {
      const rows = await callsAt('Nonexistent Blvd 99A');
      return rows.length ? rows : null;
    }, 15000, 'the call placed by the map click');
    expect(call.lat).toBeCloseTo(lat, 5);
    expect(call.lon).toBeCloseTo(lon, 5);
    expect(haversineMetres(call.lat, call.lon, Number(located), -122.4101)).toBeGreaterThan(100);
    expect(lookups).toHaveLength(3);
    await screenshot(page, 'call-form-unknown-address-placed-by-map');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Coordinates typed first (the caller's device location read out), then an address: the coordinates are
 * never replaced silently. Both are sent; the server dispatches to the typed address and flags the
 * incident when the two lie far apart (the tester's "1250 Columbus Ave" with the point of 550 Columbus Ave).
 */
describe('the new-call form with coordinates typed before the address', () => {
  const env = useServerAndChromium('geocode-form-typed-coordinates');

  it('keeps the typed coordinates, sends them with the address, and the incident is flagged as unconfirmed', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server);
    const device = (await env.server.request('GET', `/api/geocode?q=${encodeURIComponent('550 Columbus Ave')}`)).body as { lat: number; lon: number };
    await page.keyboard.press('n');
    await page.waitForSelector('#call-dialog[open]');
    await page.keyboard.type('Medical Incident');
    await page.fill('#call-lat', device.lat.toFixed(6));
    await page.fill('#call-lon', device.lon.toFixed(6));
    await page.fill('#call-address', '1250 Columbus Ave');
    await page.dispatchEvent('#call-address', 'change');
    await page.waitForFunction(() => (document.querySelector('#call-located')?.textContent ?? '').includes("caller's location"), null, { timeout: 5000 });
    expect(Number(await page.inputValue('#call-lat'))).toBeCloseTo(device.lat, 5);
    expect(Number(await page.inputValue('#call-lon'))).toBeCloseTo(device.lon, 5);
    await page.click('#call-submit');
    const [call] = await waitFor(async () => {
      const rows = (await env.server.db.query<{ lat: number; lon: number; incident_id: string | null }>(`SELECT lat, lon, incident_id FROM call WHERE address = '1250 Columbus Ave'`)).rows;
      return rows.length && rows[0].incident_id ? rows : null;
    }, 20000, 'the call placed');
    expect(call.lat).toBeCloseTo(device.lat, 5);
    expect(call.lon).toBeCloseTo(device.lon, 5);
    const incident = (await env.server.request('GET', `/api/incidents/${call.incident_id}`)).body as { locationUnconfirmed: boolean; devicePoint: { lat: number } | null };
    expect(incident.locationUnconfirmed).toBe(true);
    expect(incident.devicePoint?.lat).toBeCloseTo(device.lat, 5);
    await screenshot(page, 'call-form-typed-coordinates-kept-with-the-address');
    expect(errors).toEqual([]);
    await context.close();
  });
});
