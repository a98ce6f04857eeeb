import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startTestApp, TestApp } from '../testing/test-app';

/** A GET with exactly these headers, the body as sent (no decompression). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/**
 * The residents' alert and report pages have no tile server and no sign-in: they draw the streets and
 * their names from `/public/roads.json`. It is the road network the consoles draw (`/api/roads`), read
 * with no token, by any origin, cacheable, compressed for a client that takes gzip (phones on a congested
 * network); `/api/roads` itself still needs sign-in, and the public path takes nothing but GET.
 */
describe('the public road network', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('public-roads');
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the consoles’ roads, names included, to a reader with no sign-in', async () => {
    const res = await fetch(`${t.url}/public/roads.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const roads = (await res.json()) as { type: string; features: { geometry: { type: string; coordinates: number[][] }; properties: { name?: string; highway: string } }[] };
    const signedIn = (await t.request('GET', '/api/roads')).body;
    expect(roads).toEqual(signedIn);
    expect(roads.type).toBe('FeatureCollection');
    expect(roads.features.length).toBeGreaterThan(1000);
    const names = new Set(roads.features.map((f) => f.properties.name).filter(Boolean));
    expect(names).toContain('Columbus Avenue');
    for (const f of roads.features.slice(0, 50)) {
      expect(f.geometry.type).toBe('LineString');
      const [lon, lat] = f.geometry.coordinates[0];
      expect(lat).toBeGreaterThan(37.6);
      expect(lat).toBeLessThan(37.9);
      expect(lon).toBeLessThan(-122.3);
    }
  });

  it('sends gzip to a client that accepts it and plain JSON to one that does not, the same roads; 304 for the ETag it holds', async () => {
    const url = `${t.url}/public/roads.json`;
    const plain = await rawGet(url, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    const zipped = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(JSON.parse(plain.body.toString('utf8')).type).toBe('FeatureCollection');
    // Each encoding is its own representation, with its own ETag.
    const etag = String(plain.headers.etag);
    const zippedEtag = String(zipped.headers.etag);
    expect(zippedEtag).not.toBe(etag);
    const again = await rawGet(url, { 'if-none-match': zippedEtag, 'accept-encoding': 'gzip' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await rawGet(url, { 'if-none-match': `"roads-other", W/${etag}` })).status).toBe(304);
    expect((await rawGet(url, { 'if-none-match': '"roads-other"' })).status).toBe(200);
    // A client that refuses gzip (q=0), or names it in capitals, is answered as RFC 9110 says.
    for (const refuses of ['gzip;q=0', 'gzip;q=0.000, identity', 'identity']) {
      expect([refuses, (await rawGet(url, { 'accept-encoding': refuses })).headers['content-encoding']]).toEqual([refuses, undefined]);
    }
    expect((await rawGet(url, { 'accept-encoding': 'GZIP' })).headers['content-encoding']).toBe('gzip');
  });

  it('keeps /api/roads behind sign-in and takes nothing but GET on the public path', async () => {
    expect((await t.request('GET', '/api/roads', undefined, null)).status).toBe(401);
    expect((await t.request('POST', '/public/roads.json', {}, null)).status).toBe(404);
    expect((await t.request('GET', '/api/public/roads.json', undefined, null)).status).toBe(404);
  });
});
