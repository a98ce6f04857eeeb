import { DrillService } from '../drill/drill.service';
import { startTestApp, TestApp } from '../testing/test-app';
import { BriefingsService } from './briefings.service';

/**
 * The drill day: a drill replays the first calls of 2017-01-01; crews' damage reports on its incidents
 * are filed in the drill's world. At 06:00 the next morning on the drill's clock, the district's daily
 * briefing (Exercise) counts that district's drill incidents of the day with the damage rolled up from
 * its streets, and nothing of live work; the live world's briefing holds nothing of the drill.
 */
describe('drill day: a district briefing on the drill clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sitrep-drill', { BRIEFING_LOCAL_TIME: '06:00' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the drill incidents and damage of the district for the day, once, and keeps live work apart', async () => {
    const drills = t.app.get(DrillService);
    const run = await drills.start({ day: '2017-01-01', speed: 'max', limit: 25 });
    const done = await drills.whenDone(run.id);
    expect(done.state).toBe('finished');
    // The district with most drill incidents, and its incidents.
    const [{ district }] = await t.ds.query(`SELECT district_id AS district FROM incident WHERE drill_id = $1 GROUP BY district_id ORDER BY count(*) DESC, district_id LIMIT 1`, [run.id]);
    const mine: { id: string; street_id: string }[] = await t.ds.query(`SELECT id, street_id FROM incident WHERE drill_id = $1 AND district_id = $2 ORDER BY received_at`, [run.id, district]);
    const others: { id: string }[] = await t.ds.query(`SELECT id FROM incident WHERE drill_id = $1 AND district_id <> $2`, [run.id, district]);
    expect(mine.length).toBeGreaterThan(1);
    // A crew's damage on two incidents of the district (one corrected), one of another district, in the drill's world.
    const damage = (immediate: number, displaced: number) => ({ casualties: { immediate, delayed: 1, minor: 0, deceased: 0 }, displaced, buildingsDamaged: 1, buildingsDestroyed: 0 });
    for (const [id, d] of [[mine[0].id, damage(1, 5)], [mine[0].id, damage(2, 8)], [mine[1].id, damage(4, 0)]] as const) {
      const r = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: id, ...d });
      expect(r.status).toBe(201);
      expect(r.body.world).toBe(run.id);
    }
    if (others.length) expect((await t.request('POST', '/api/sitrep/damage-reports', { incidentId: others[0].id, ...damage(50, 50) })).status).toBe(201);
    // A damage report naming the live world on a drill incident is refused naming the field.
    const wrongWorld = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: mine[0].id, world: 'live', ...damage(1, 1) });
    expect(wrongWorld.status).toBe(400);
    expect(wrongWorld.body.message).toMatch(/^world: /);
    // A live damage report and a live call in the same district do not count in the drill's briefing.
    expect((await t.request('POST', '/api/sitrep/damage-reports', { streetId: mine[0].street_id, ...damage(9, 9) })).status).toBe(201);

    // 06:00 PST on the drill day (14:00 UTC) on the drill's clock: the briefing of 2017-01-01, covering the 24 hours before.
    const briefings = t.app.get(BriefingsService);
    expect(await briefings.produceDue(run.id, new Date('2017-01-01T13:59:00Z'))).toEqual([]);
    const made = await briefings.produceDue(run.id, new Date('2017-01-01T14:00:00Z'));
    expect(made.every((b) => b.localDate === '2017-01-01' && b.world === run.id)).toBe(true);
    expect(await briefings.produceDue(run.id, new Date('2017-01-01T20:00:00Z'))).toEqual([]);
    const mineB = made.find((b) => b.jurisdictionId === district)!;
    expect(mineB).toMatchObject({ periodFrom: '2016-12-31T14:00:00.000Z', periodTo: '2017-01-01T14:00:00.000Z' });
    const [{ n: inPeriod }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND district_id = $2 AND received_at < '2017-01-01T14:00:00Z'`, [run.id, district]);
    const dispatcher = await t.signIn(district.replace(/^sf-/, ''));
    const b = (await t.request('GET', `/api/sitrep/briefings/${mineB.id}`, undefined, dispatcher)).body;
    expect(b.report).toMatchObject({ reportType: 'DailyBriefing', status: 'Exercise', world: run.id, jurisdiction: { id: district, level: 'district' } });
    expect(b.report.summary.incidents).toBe(inPeriod);
    // The drill's crews reached the scene: the briefing has the period's NFPA 1710 intervals.
    expect(b.report.responseIntervals.incidents).toBe(inPeriod);
    expect(b.report.responseIntervals.travelP90S).toBeGreaterThan(0);
    expect(b.report.responseIntervals.turnoutP90S).toBeGreaterThan(0);
    // Version 2 of the first report (2 immediate) and the second report (4): the live report (9) and the other district's (50) are not here.
    expect(b.report.summary.damage.casualties).toEqual({ immediate: 6, delayed: 2, minor: 0, deceased: 0 });
    expect(b.report.summary.damage.displaced).toBe(8);
    expect(b.report.summary.damageReports).toBe(2);
    const byStreet = Object.fromEntries(b.report.summary.children.map((c: { jurisdictionId: string; damageReports: number }) => [c.jurisdictionId, c.damageReports]));
    expect(byStreet[mine[0].street_id]).toBeGreaterThanOrEqual(1);
    // The district's drill briefing is listed in the drill's world only; the live world's list has none of it.
    expect((await t.request('GET', `/api/sitrep/briefings?world=${run.id}`, undefined, dispatcher)).body.map((x: { id: string }) => x.id)).toEqual([mineB.id]);
    // (The live world may have its own briefing of today, made at start once 06:00 has passed in the city: never this one.)
    const live: { id: string; world: string }[] = (await t.request('GET', '/api/sitrep/briefings', undefined, dispatcher)).body;
    expect(live.every((b) => b.world === 'live' && b.id !== mineB.id)).toBe(true);
    // The city's drill briefing holds every drill incident of the period and all the drill's damage, not the live report.
    const city = made.find((x) => x.jurisdictionId === 'sf')!;
    const cityReport = (await t.request('GET', `/api/sitrep/briefings/${city.id}`)).body.report;
    expect(cityReport.summary.damage.casualties.immediate).toBe(6 + (others.length ? 50 : 0));
  }, 120000);
});
