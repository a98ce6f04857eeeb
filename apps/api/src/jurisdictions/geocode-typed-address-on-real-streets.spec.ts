import { haversineMetres } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A call taker types an address; `GET /api/geocode` places it on the real San Francisco streets
 * (OSM names, and the blocks of past SFFD calls) and in the command chain, or answers 404 naming it.
 */
describe('looking up a typed address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('geocode');
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a block from the calls data, an intersection from OSM, and refuses what it does not know', async () => {
    const block = await t.request('GET', `/api/geocode?q=${encodeURIComponent('550 Columbus Avenue')}`);
    expect(block.status).toBe(200);
    expect(block.body).toMatchObject({ precision: 'block', matched: '500 Block of COLUMBUS AVE', outsideBoundary: false });

    const corner = await t.request('GET', `/api/geocode?q=${encodeURIComponent('Columbus Ave & Union St')}`);
    expect(corner.body.precision).toBe('intersection');
    expect(haversineMetres(corner.body.lat, corner.body.lon, block.body.lat, block.body.lon)).toBeLessThan(250);
    expect(corner.body.streetId).toEqual(expect.any(String));
    expect(corner.body.districtId).toEqual(expect.any(String));

    const unknown = await t.request('GET', `/api/geocode?q=${encodeURIComponent('12 Nowhere Street')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('address 12 Nowhere Street not found: no street named NOWHERE ST');
    // ...and coded, for a console to word in its own language.
    expect(unknown.body.miss).toEqual({ code: 'no_street', params: { street: 'NOWHERE ST' } });
    // A house number far past any the calls data knows on that street is not placed on it.
    const past = await t.request('GET', `/api/geocode?q=${encodeURIComponent('99999 Columbus Ave')}`);
    expect(past.status).toBe(404);
    expect(past.body.message).toMatch(/^address 99999 Columbus Ave not found: 99999 is not on COLUMBUS AVE: the numbers known there run from \d+ to \d+$/);
    expect(past.body.miss).toMatchObject({ code: 'number_not_on_street', params: { number: 99999, street: 'COLUMBUS AVE' } });
    const missing = await t.request('GET', '/api/geocode');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('q');
  });
});
