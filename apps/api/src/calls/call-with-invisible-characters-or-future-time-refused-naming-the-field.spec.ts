import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a zero-width space in `type` made a call type of its own
 * ("Medical​Incident" reads as MedicalIncident), and a live call's `receivedAt` up to 5 minutes in
 * the future was stored as it came, received after it was entered, although the API said "not in
 * the future". Now invisible format characters in identity fields answer 400 naming the field, and a
 * `receivedAt` up to 5 minutes ahead (device clock skew) is stored as the server's receipt time, never
 * after `enteredAt`; further ahead is refused naming `receivedAt`.
 */
describe('a call with invisible characters or a time in the future', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('invisiblefuture');
  });
  afterAll(async () => {
    await t.close();
  });

  const good = { type: 'Medical Incident', priority: 2, lat: 37.8051625, lon: -122.4329574, address: '0 Block of MARINA BLVD' };
  const calls = async () => Number((await t.ds.query('SELECT count(*) AS n FROM call'))[0].n);

  it.each([
    ['zero-width space in type', { ...good, type: 'Medical\u200BIncident' }, 'type', 'U+200B'],
    ['word joiner in type', { ...good, type: 'Medical\u2060 Incident' }, 'type', 'U+2060'],
    ['zero-width joiner in address', { ...good, address: '0 Block of\u200D MARINA BLVD' }, 'address', 'U+200D'],
    ['soft hyphen in roadway', { ...good, roadway: 'Stockton\u00ADTunnel' }, 'roadway', 'U+00AD'],
    ['zero-width space in callNumber', { ...good, callNumber: 'C-123\u200B' }, 'callNumber', 'callNumber'],
  ])('%s is refused with 400 naming the field and stores nothing', async (_name, body, field, detail) => {
    const before = await calls();
    const res = await t.request('POST', '/api/calls', body);
    expect(res.status).toBe(400);
    const message = JSON.stringify(res.body.message);
    expect(message).toContain(field);
    expect(message).toContain(detail);
    expect(await calls()).toBe(before);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE type <> btrim(type) OR type ~ '[\u200B\uFEFF]'`);
    expect(n).toBe(0);
  });

  it('stores a receivedAt a few minutes ahead as the receipt time, never after enteredAt; refuses one further ahead', async () => {
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    const res = await t.request('POST', '/api/calls', { ...good, callNumber: 'skew-4min', receivedAt: ahead });
    expect(res.status).toBe(202);
    const [row] = await t.ds.query(`SELECT received_at, created_at FROM call WHERE id = $1`, [res.body.id]);
    expect(new Date(row.received_at).getTime()).toBeLessThanOrEqual(new Date(row.created_at).getTime());
    expect(new Date(row.received_at).getTime()).toBeLessThan(new Date(ahead).getTime());
    const call = (await t.request('GET', `/api/calls/${res.body.id}`)).body;
    const incident = await t.incidentOf(res.body.id, true);
    const shown = incident.calls.find((c: { id: string }) => c.id === res.body.id);
    expect(new Date(shown.receivedAt).getTime()).toBeLessThanOrEqual(new Date(shown.enteredAt).getTime());
    expect(call).toBeDefined();

    const before = await calls();
    const far = await t.request('POST', '/api/calls', { ...good, callNumber: 'skew-10min', receivedAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    expect(far.status).toBe(400);
    expect(JSON.stringify(far.body.message)).toContain('receivedAt');
    expect(JSON.stringify(far.body.message)).toContain('not in the future');
    expect(await calls()).toBe(before);
  });
});
