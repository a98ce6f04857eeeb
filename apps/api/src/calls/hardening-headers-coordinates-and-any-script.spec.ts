import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Hardening at the edge: security headers, swapped or out-of-range coordinates refused with a clear
 * message, addresses in any script stored exactly as sent (NFC) and searchable, prototype keys and
 * oversized bodies refused, sign-in rate-limited.
 */
describe('hardening: headers, coordinates, any script, limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('hardening', { SIGNIN_RATE_PER_MIN: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends helmet security headers', async () => {
    const res = await fetch(`${t.url}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    // Served over plain HTTP (behind no TLS proxy), upgrading would send every asset request to https.
    expect(csp).not.toContain('upgrade-insecure-requests');
    const page = await fetch(`${t.url}/`);
    expect(page.headers.get('content-security-policy') ?? '').not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses swapped coordinates with a message that says so, and stores nothing', async () => {
    const [{ n: before }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    const outOfRange = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: -122.4194, lon: 37.7749 });
    expect(outOfRange.status).toBe(400);
    expect(JSON.stringify(outOfRange.body.message)).toContain('check that lat and lon are not swapped');
    // (For a city whose longitude is within ±90°, a swap that stays in range is caught by the service:
    // the point lies far outside every jurisdiction while its swap lies inside one.)
    const [{ n: after }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    expect(after).toBe(before);
  });

  it('stores a Chinese street address exactly as sent (NFC) and finds it by search', async () => {
    const address = '旧金山市 都板街 950号 (Grant Ave)';
    const decomposed = 'Café de la Paix, 1 Rue Auber'.normalize('NFD');
    const a = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.7946, lon: -122.4068, address });
    const b = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.7990, lon: -122.4250, address: decomposed });
    expect([a.status, b.status]).toEqual([202, 202]);
    const ia = await t.incidentOf(a.body.id, true);
    const ib = await t.incidentOf(b.body.id, true);
    expect(ia.address).toBe(address);
    expect(ib.address).toBe(decomposed.normalize('NFC'));
    const found = (await t.request('GET', `/api/incidents?q=${encodeURIComponent('都板街')}`)).body.items as any[];
    expect(found.map((i) => i.id)).toEqual([ia.id]);
    const cafe = (await t.request('GET', `/api/incidents?q=${encodeURIComponent('Café'.normalize('NFD'))}`)).body.items as any[];
    expect(cafe.map((i) => i.id)).toEqual([ib.id]);
  });

  it('stores right-to-left addresses as sent, and refuses bidi override characters that would reverse text on a console', async () => {
    const hebrew = 'רחוב הרצל 12';
    const ok = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.7960, lon: -122.4100, address: hebrew, callNumber: 'rtl-1' });
    expect(ok.status).toBe(202);
    expect((await t.incidentOf(ok.body.id, true)).address).toBe(hebrew);
    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM call`))[0].n;
    const reversed = await t.request('POST', '/api/calls', { type: 'Medical \u202e Incident', lat: 37.7960, lon: -122.4100, callNumber: 'bidi-1' });
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toEqual([expect.stringMatching(/^type must not contain control characters/)]);
    const isolate = await t.request('POST', '/api/calls', { type: 'Medical Incident', address: '1 Main St \u2066x\u2069', lat: 37.7960, lon: -122.4100 });
    expect(isolate.status).toBe(400);
    expect(isolate.body.message).toEqual([expect.stringMatching(/^address must not contain control characters/)]);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM call`))[0].n).toBe(before);
  });

  it('refuses prototype keys, unknown fields and oversized bodies with 4xx naming the problem', async () => {
    const proto = await fetch(`${t.url}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
      body: '{"type":"Medical Incident","lat":37.79,"lon":-122.41,"constructor":{"prototype":{"x":1}}}',
    });
    expect(proto.status).toBe(400);
    const unknown = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.79, lon: -122.41, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.message)).toContain('colour');
    const big = await t.request('POST', '/api/calls', { type: 'Medical Incident', lat: 37.79, lon: -122.41, notes: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
  });

  it('rate-limits sign-in per address (429)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.request('POST', '/api/auth/sign-in', { username: 'observer', password: 'wrong' }, null)).status);
    expect(codes.slice(0, 4).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });
});
