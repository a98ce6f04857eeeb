import { startTestApp, TestApp } from '../../testing/test-app';

/**
 * The history search finds closed and cancelled incidents by call number, address text, type and date,
 * a page at a time, only within the viewer's jurisdiction; a bad field answers 400 naming it. A
 * reopened incident is held until a dispatcher confirms its dispatch; an observer or another
 * district's post cannot reopen it (403).
 */
describe('incident history: search in scope, reopen held until confirmed', () => {
  let t: TestApp;
  let incident: any;
  const callNumber = 'HIST-000042';
  beforeAll(async () => {
    t = await startTestApp('history');
    const call = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 2, lat: 37.795, lon: -122.4, address: '880 Kearny St', callNumber });
    incident = await t.incidentOf(call.body.id);
    expect((await t.request('POST', `/api/incidents/${incident.id}/cancel`, { disposition: 'smoke from a barbecue' })).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const search = (query: string, token?: string) => t.request('GET', `/api/incident-history?${query}`, undefined, token);

  it('finds the cancelled incident by call number, address text, type and date range, with its names, not ids', async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const q of ['callNumber=000042', 'address=kearny', 'type=outside%20fire', `from=${today}&to=${today}`, `callNumber=${callNumber}&status=cancelled`]) {
      const r = await search(q);
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: any) => i.id)).toContain(incident.id);
    }
    const [found] = (await search(`callNumber=${callNumber}`)).body.items;
    expect(found).toMatchObject({ callNumber, status: 'cancelled', type: 'Outside Fire', disposition: 'smoke from a barbecue', district: incident.district.name, street: incident.street.name });
    expect(found.district).not.toMatch(/^sf-/);
    // Nothing matches another day, another type or a closed-only search.
    for (const q of ['from=2001-01-01&to=2001-01-02', 'type=medical', `callNumber=${callNumber}&status=closed`]) {
      expect((await search(q)).body.items.map((i: any) => i.id)).not.toContain(incident.id);
    }
  });

  it('pages: limit and offset walk the results without repeating one, and total counts them all', async () => {
    for (const n of [1, 2]) {
      const c = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 3, lat: 37.7952, lon: -122.4002 + n * 0.0003, address: `${880 + n * 2} Kearny St` });
      const i = await t.incidentOf(c.body.id);
      expect((await t.request('POST', `/api/incidents/${i.id}/cancel`, { disposition: 'not needed' })).status).toBe(200);
    }
    const all = (await search('address=kearny&limit=100')).body;
    expect(all.total).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const page = (await search(`address=kearny&limit=2&offset=${offset}`)).body;
      expect(page).toMatchObject({ total: all.total, limit: 2, offset });
      seen.push(...page.items.map((i: any) => i.id));
    }
    expect(seen).toEqual(all.items.map((i: any) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 400 naming the bad field', async () => {
    for (const [q, field] of [
      ['from=yesterday', 'from'],
      ['to=2026-13-40', 'to'],
      ['from=2026-12-04&to=2026-12-01T00:00:00Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['status=open', 'status'],
      ['address=' + 'x'.repeat(201), 'address'],
      ['colour=red', 'colour'],
    ]) {
      const r = await search(q);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain(field);
    }
  });

  it('another district sees none of it, and neither it nor an observer may reopen it (403); a responder has no history', async () => {
    const home = incident.district.id.replace(/^sf-/, '');
    const other = await t.signIn(home === 'd2' ? 'd3' : 'd2');
    const mine = await t.signIn(home);
    expect((await search(`callNumber=${callNumber}`, other)).body.items).toEqual([]);
    expect((await search(`callNumber=${callNumber}`, mine)).body.items.map((i: any) => i.id)).toEqual([incident.id]);
    const observer = await t.signIn('observer');
    expect((await search(`callNumber=${callNumber}`, observer)).status).toBe(200);
    expect((await t.request('POST', `/api/incidents/${incident.id}/reopen`, undefined, observer)).status).toBe(403);
    expect((await t.request('POST', `/api/incidents/${incident.id}/reopen`, undefined, other)).status).toBe(403);
    expect((await t.request('POST', `/api/incidents/${incident.id}/confirm-dispatch`, undefined, other)).status).toBe(403);
    expect((await search('address=kearny', await t.signIn('e38'))).status).toBe(403);
    expect((await t.request('GET', `/api/incidents/${incident.id}`)).body.status).toBe('cancelled');
  });

  it('a reopened incident sends no unit until a dispatcher confirms; then it is dispatched, and confirming twice is refused (409)', async () => {
    const reopened = await t.request('POST', `/api/incidents/${incident.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'received', autoDispatch: false });
    await t.settle();
    const held = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(held.status).toBe('received');
    expect(held.assignments.filter((a: any) => a.status !== 'cleared')).toHaveLength(0);
    // It is no longer history.
    expect((await search(`callNumber=${callNumber}`)).body.items).toEqual([]);

    const confirmed = await t.request('POST', `/api/incidents/${incident.id}/confirm-dispatch`);
    expect(confirmed.status).toBe(200);
    await t.settle();
    const sent = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(sent.status).toBe('dispatched');
    expect(sent.assignments.filter((a: any) => a.status === 'dispatched').length).toBeGreaterThan(0);
    const again = await t.request('POST', `/api/incidents/${incident.id}/confirm-dispatch`);
    expect(again.status).toBe(409);
  });
});
