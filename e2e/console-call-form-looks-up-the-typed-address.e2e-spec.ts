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
