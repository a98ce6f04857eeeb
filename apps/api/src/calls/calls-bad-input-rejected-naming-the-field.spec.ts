import { startTestApp, TestApp } from '../testing/test-app';

describe('POST /api/calls with bad input answers 400 naming the field and stores nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('badinput');
  });
  afterAll(async () => {
    await t.close();
  });

  const good = { type: 'Medical Incident', lat: 37.8051625, lon: -122.4329574, address: '0 Block of MARINA BLVD' };
  const post = (body: unknown) =>
    fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { message: string[] | string } }),
    );
  const calls = async () => Number((await t.ds.query('SELECT count(*) AS n FROM call'))[0].n);

  it.each([
    ['lat out of range', { ...good, lat: 95 }, 'lat must be a latitude in WGS84 degrees (-90..90); check that lat and lon are not swapped'],
    ['missing lat', { type: good.type, lon: good.lon }, 'lat is required'],
    ['lat as text', { ...good, lat: 'north' }, 'lat must be a number (WGS84 degrees)'],
    ['lon out of range', { ...good, lon: -190 }, 'lon'],
    ['missing type', { lat: good.lat, lon: good.lon }, 'type is required'],
    ['type not text', { ...good, type: 7 }, 'type must be a string'],
    ['empty type', { ...good, type: '' }, 'type'],
    ['unknown field', { ...good, colour: 'red' }, 'colour'],
    ['priority not 1..3', { ...good, priority: 7 }, 'priority'],
    ['bad time', { ...good, receivedAt: 'yesterday' }, 'receivedAt'],
    ['NUL byte in type', { ...good, type: 'Medical\u0000Incident' }, 'type'],
    ['NUL byte in address', { ...good, address: '0 Block of\u0000 MARINA BLVD' }, 'address'],
    ['blank type', { ...good, type: '  \t ' }, 'type'],
    ['exercise call of no drill', { ...good, exercise: true }, 'drillId'],
    ['exercise call of an unknown drill', { ...good, exercise: true, drillId: 'drill-1999-01-01-x' }, 'drillId'],
  ])('%s', async (_name, body, field) => {
    const before = await calls();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain(field);
    expect(await calls()).toBe(before);
  });

  it.each([
    ['__proto__', '{"type":"Medical Incident","lat":37.8,"lon":-122.43,"__proto__":{"isAdmin":true}}'],
    ['constructor', '{"type":"Medical Incident","lat":37.8,"lon":-122.43,"constructor":{"x":1}}'],
  ])('refuses a %s key with 400 naming it', async (key, raw) => {
    const before = await calls();
    const res = await fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: raw });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(key);
    expect(await calls()).toBe(before);
  });

  it('refuses a call far outside every jurisdiction with 422 naming lat/lon (Paris is not San Francisco)', async () => {
    const before = await calls();
    const res = await post({ ...good, lat: 48.85, lon: 2.35 });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.message)).toContain('lat/lon');
    expect(await calls()).toBe(before);
  });

  it('keeps an address in any script exactly as sent (NFC)', async () => {
    const address = '中山路 12號'.normalize('NFD');
    const res = await post({ ...good, address, callNumber: 'nfc-1' });
    expect(res.status).toBe(202);
    const [row] = await t.ds.query(`SELECT address FROM call WHERE call_number = 'nfc-1'`);
    expect(row.address).toBe(address.normalize('NFC'));
  });

  it('numbers a call taken without a call number (C-000001, ...), so dispatchers can name it', async () => {
    const a = await post({ ...good });
    const b = await post({ ...good });
    expect(a.status).toBe(202);
    const rows = await t.ds.query(`SELECT call_number FROM call WHERE id = ANY($1) ORDER BY call_number`, [[(a.body as unknown as { id: string }).id, (b.body as unknown as { id: string }).id]]);
    expect(rows.map((r: { call_number: string }) => r.call_number)).toEqual([expect.stringMatching(/^C-\d{6}$/), expect.stringMatching(/^C-\d{6}$/)]);
    expect(rows[0].call_number).not.toBe(rows[1].call_number);
  });

  it('refuses a body that is not JSON with 415, and one nested too deeply with 400 saying so', async () => {
    const before = await calls();
    const plain = await fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.token}` }, body: JSON.stringify(good) });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as { message: string }).message).toBe('the body must be JSON (Content-Type: application/json), not text/plain');
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = await fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: deep });
    expect(nested.status).toBe(400);
    expect(((await nested.json()) as { message: string }).message).toBe('body is nested deeper than 32 levels');
    // Brackets inside strings do not count.
    const brackets = await post({ ...good, address: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ {{{{ "quoted" \\ ', callNumber: 'brackets-1' });
    expect(brackets.status).toBe(202);
    expect(await calls()).toBe(before + 1);
  });

  it('names the field and the problem on other endpoints too', async () => {
    const unit = (await t.ds.query(`SELECT id FROM unit ORDER BY id LIMIT 1`))[0].id;
    const swapped = await t.request('POST', `/api/units/${unit}/position`, { lat: -122.43, lon: 37.8 });
    expect(swapped.status).toBe(400);
    expect(swapped.body.message).toEqual(['lat must be a latitude in WGS84 degrees (-90..90); check that lat and lon are not swapped']);
    const day = await t.request('POST', '/api/drills', { day: '2017-13-45', speed: 'max' });
    expect(day.status).toBe(400);
    expect(day.body.message).toEqual(['day must be a calendar day YYYY-MM-DD (got 2017-13-45)']);
    const signIn = await t.request('POST', '/api/auth/sign-in', { username: 123, password: [] }, null);
    expect(signIn.status).toBe(400);
    expect(signIn.body.message).toEqual(expect.arrayContaining(['username must be a string', 'password must be a string']));
    const call = await post({ ...good, callNumber: 'level-1' });
    const incident = await t.incidentOf((call.body as unknown as { id: string }).id, true);
    const level = await t.request('POST', `/api/incidents/${incident.id}/alarms`, { level: '2' });
    expect(level.status).toBe(400);
    expect(level.body.message).toEqual(['level must be a whole number (2 to 5)']);
    const accept = await t.request('POST', `/api/incidents/${incident.id}/recommendations/accept`, { unitIds: ['NOPE'] });
    expect(accept.status).toBe(200);
    expect(accept.body.assigned).toEqual([]);
    expect(accept.body.refused).toEqual([{ unitId: 'NOPE', reason: expect.stringMatching(/^not recommended for this incident \(recommended: /) }]);
  });

  it('lists the optional features of this server, and 404s coverage of an unknown jurisdiction', async () => {
    expect((await t.request('GET', '/api/features')).body.features).toEqual(expect.arrayContaining(['merge', 'recommendations', 'coverage', 'acknowledged']));
    const unknown = await t.request('GET', '/api/coverage?jurisdictionId=bogus');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('bogus');
  });
});
