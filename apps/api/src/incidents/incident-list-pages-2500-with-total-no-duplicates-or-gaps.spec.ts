import { startTestApp, TestApp } from '../testing/test-app';

/**
 * `GET /api/incidents` answers pages `{items, total, limit, offset}` in a total order: 2,500 incidents
 * (many sharing priority and received time, so only the id breaks ties) listed page by page come out
 * all, once each, with the same total on every page; the open-only filter counts its own total; a page
 * past the end is empty with the total; bad paging input is a 400 naming the field.
 */
describe('incident list paging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('paging');
    // 2,500 incidents: 3 priorities x 5 received times, so most rows tie on both sort keys.
    await t.ds.query(
      `INSERT INTO incident (type, priority, status, lat, lon, address, street_id, district_id, city_id, outside_boundary,
                             commanding_tier, commanding_jurisdiction_id, exercise, revision, received_at, closed_at)
       SELECT 'Medical Incident', 1 + n % 3, CASE WHEN n % 2 = 0 THEN 'dispatched' ELSE 'closed' END, 37.79, -122.41, 'paging ' || n,
              NULL, NULL, 'sf', false, 'city', 'sf', false, 1, timestamptz '2026-01-01T00:00:00Z' + (n % 5) * interval '1 minute',
              CASE WHEN n % 2 = 0 THEN NULL ELSE now() END
         FROM generate_series(1, 2500) AS n`,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  /** Reads every page of `query` with `limit`; answers the ids in order and every page's total. */
  const readAll = async (query: string, limit: number) => {
    const ids: string[] = [];
    const totals = new Set<number>();
    for (let offset = 0; ; offset += limit) {
      const r = await t.request('GET', `/api/incidents?${query}limit=${limit}&offset=${offset}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ limit, offset });
      totals.add(r.body.total);
      ids.push(...r.body.items.map((i: { id: string }) => i.id));
      if (r.body.items.length < limit) return { ids, totals };
    }
  };

  it('lists 2,500 incidents page by page with a total, no duplicates and no gaps', async () => {
    const [{ n: inDb }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident`);
    expect(inDb).toBeGreaterThanOrEqual(2500);
    const { ids, totals } = await readAll('', 300);
    expect([...totals]).toEqual([inDb]);
    expect(ids).toHaveLength(inDb);
    expect(new Set(ids).size).toBe(inDb);
    // The same order whatever the page size.
    expect((await readAll('', 1000)).ids).toEqual(ids);
  });

  it('the open filter pages its own total', async () => {
    const [{ n: open }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE status NOT IN ('resolved', 'closed', 'cancelled', 'merged')`);
    const { ids, totals } = await readAll('open=true&', 400);
    expect([...totals]).toEqual([open]);
    expect(new Set(ids).size).toBe(open);
    expect(open).toBeGreaterThanOrEqual(1250);
  });

  it('a page past the end is empty but still gives the total; bad paging is a 400 naming the field', async () => {
    const past = await t.request('GET', '/api/incidents?limit=10&offset=999999');
    expect(past.status).toBe(200);
    expect(past.body.items).toEqual([]);
    expect(past.body.total).toBeGreaterThanOrEqual(2500);
    for (const [q, field] of [
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
    ]) {
      const r = await t.request('GET', `/api/incidents?${q}`);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain(field);
    }
  });
});
