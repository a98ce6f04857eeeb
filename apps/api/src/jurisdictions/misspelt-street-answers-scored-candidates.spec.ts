import { MIGRATIONS } from '@cad/db';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: "Colombus Av" answered 404 with no candidates. Now a misspelt
 * street or an unknown number answers 404 with up to five scored candidates (none is chosen), and
 * the city can add common place names, matched like streets.
 */
describe('near misses in the address lookup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('candidates');
  });
  afterAll(async () => {
    await t.close();
  });

  const geocode = (q: string, token?: string) => t.request('GET', `/api/geocode?q=${encodeURIComponent(q)}`, undefined, token);
  type Candidate = { address: string; lat: number; lon: number; score: number; precision: string };

  it('answers a misspelt street with scored candidates, best first, none chosen', async () => {
    const r = await geocode('Colombus Av');
    expect(r.status).toBe(404);
    const c = r.body.candidates as Candidate[];
    expect(c.length).toBeGreaterThan(0);
    expect(c.length).toBeLessThanOrEqual(5);
    expect(c[0].address).toBe('COLUMBUS AVE');
    expect(c[0].score).toBeGreaterThan(0.8);
    expect(c[0].score).toBeLessThan(1);
    expect(c.map((x) => x.score)).toEqual([...c.map((x) => x.score)].sort((a, b) => b - a));
  });

  it('places the typed number on the candidate street', async () => {
    const exact = (await geocode('1250 Columbus Ave')).body;
    const r = await geocode('1250 Colombus Av');
    expect(r.status).toBe(404);
    const best = r.body.candidates[0] as Candidate;
    expect(best.address).toBe('1250 COLUMBUS AVE');
    expect([best.lat, best.lon]).toEqual([exact.lat, exact.lon]);
  });

  it('answers a number past the known numbers with the street\'s first and last known blocks', async () => {
    const r = await geocode('9900 Columbus Ave');
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/9900 is not on COLUMBUS AVE/);
    const addresses = (r.body.candidates as Candidate[]).map((c) => c.address);
    expect(addresses.some((a) => /^\d+ Block of COLUMBUS AVE$/.test(a))).toBe(true);
  });

  it('gives no candidates for gibberish, and still places an exact address', async () => {
    const r = await geocode('Qxzzyv Wwkk');
    expect(r.status).toBe(404);
    expect(r.body.candidates).toEqual([]);
    expect((await geocode('500 Columbus Ave')).status).toBe(200);
  });

  it('finds a place name the city added, exactly and as a candidate; refuses a duplicate and a responder', async () => {
    const added = await t.request('POST', '/api/places', { name: 'Pier 39', lat: 37.8087, lon: -122.4098 });
    expect(added.status).toBe(201);
    const found = await geocode('PIER 39');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ precision: 'place', matched: 'Pier 39', lat: 37.8087, lon: -122.4098 });
    const near = await geocode('Peir 39');
    expect(near.status).toBe(404);
    expect(near.body.candidates[0]).toMatchObject({ address: 'Pier 39', precision: 'place' });
    const again = await t.request('POST', '/api/places', { name: 'pier  39', lat: 37.8, lon: -122.41 });
    expect(again.status).toBe(409);
    const crew = await t.signIn('e02');
    expect((await t.request('POST', '/api/places', { name: 'Coit Tower', lat: 37.8024, lon: -122.4058 }, crew)).status).toBe(403);
    expect((await t.request('POST', '/api/places', { name: 'Coit Tower', lat: 37.8024 })).body.message).toEqual(expect.arrayContaining([expect.stringContaining('lon')]));
    expect((await t.request('GET', '/api/places')).body.map((p: { name: string }) => p.name)).toEqual(['Pier 39']);
  });
  it("finds a place name stored before an apostrophe joined its letters, once migrated; a name whose new key is taken keeps its old one", async () => {
    // As the earlier normalisation stored them: the apostrophe made a space.
    await t.ds.query(
      `INSERT INTO place_name (normalised, name, lat, lon, created_by, created_at) VALUES
         ('MACY S UNION SQ', 'Macy''s Union Square', 37.7869, -122.4075, 'commander', now() - interval '2 days'),
         ('OFARRELL PLZ', 'OFarrell Plaza', 37.7865, -122.4080, 'commander', now() - interval '2 days'),
         ('O FARRELL PLZ', 'O''Farrell Plaza', 37.7866, -122.4081, 'commander', now() - interval '1 day')`,
    );
    expect((await geocode("Macy's Union Square")).body.precision).not.toBe('place');
    const Renormalise = MIGRATIONS.find((m) => m.name === 'PlaceNamesRenormalised1766550000001')!;
    const migration = new Renormalise();
    const q = t.ds.createQueryRunner();
    try {
      await migration.up(q);
      const keys = async () => (await t.ds.query(`SELECT name, normalised FROM place_name WHERE name ~ '(Square|Plaza)$' ORDER BY name`)) as { name: string; normalised: string }[];
      const once = await keys();
      expect(once).toEqual([
        { name: "Macy's Union Square", normalised: 'MACYS UNION SQ' },
        { name: "O'Farrell Plaza", normalised: 'O FARRELL PLZ' },
        { name: 'OFarrell Plaza', normalised: 'OFARRELL PLZ' },
      ]);
      // Run again (a restart mid-deploy): nothing changes.
      await migration.up(q);
      expect(await keys()).toEqual(once);
    } finally {
      await q.release();
    }
    expect((await geocode("Macy's Union Square")).body).toMatchObject({ precision: 'place', matched: "Macy's Union Square" });
    expect((await geocode("O'Farrell Plaza")).body).toMatchObject({ precision: 'place', matched: 'OFarrell Plaza' });
  });
});
