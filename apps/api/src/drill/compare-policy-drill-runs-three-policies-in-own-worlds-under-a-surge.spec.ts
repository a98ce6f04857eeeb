import { startTestApp, TestApp } from '../testing/test-app';
import { DrillReportService } from './drill-report.service';
import { DrillService } from './drill.service';

/**
 * `--compare-policy all --surge 4` on a short span: the same calls replayed under nearest, optimised
 * and optimised with move-ups, one after another, each through the real queues and dispatch in its own
 * world, the calls arriving four times sooner; the report compares them, and no live unit is touched.
 */
describe('a compare-policy drill under a 4x surge runs all three policies in their own worlds and never touches live units', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('compare-policy-surge');
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs nearest, optimised and moveups on the compressed calls and reports late arrivals and response per policy', async () => {
    const live = async () => JSON.stringify(await t.ds.query(`SELECT id, status, lat, lon, version, station_id, home_lat, home_lon FROM unit WHERE world = 'live' ORDER BY id`));
    const liveBefore = await live();
    const [{ n: liveTasksBefore }] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = 'live'`);
    const drills = t.app.get(DrillService);
    const ids: string[] = [];
    for (const policy of ['nearest', 'optimised', 'moveups']) {
      const r = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy, seed: 3, limit: 40, surge: 4 });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ policy, surge: 4 });
      const done = await drills.whenDone(r.body.id);
      expect(done.state).toBe('finished');
      expect(done.posted).toBe(40);
      ids.push(done.id);
    }
    // The calls reached the API four times sooner: their receipt times are a quarter as far apart as recorded.
    const scenario = drills.scenario('sf-north');
    const recorded = scenario.calls.filter((c) => c.localDate === '2017-01-01').slice(0, 40);
    const got: { received_at: Date }[] = await t.ds.query(`SELECT received_at FROM call WHERE drill_id = $1 ORDER BY received_at`, [ids[0]]);
    const span = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / 1000;
    expect(span(got.map((c) => c.received_at.getTime()))).toBeCloseTo(span(recorded.map((c) => c.received.getTime())) / 4, 0);
    // Each run's tasks are in its own world only.
    for (const id of ids) {
      const worlds: { world: string }[] = await t.ds.query(`SELECT DISTINCT a.world FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE i.drill_id = $1`, [id]);
      expect(worlds.map((w) => w.world)).toEqual([id]);
    }
    // Common random numbers: a call's first engine draws the same turnout and travel residual under every
    // policy (the draws are keyed by the unit's place at the call; that they do whichever engine each policy
    // sends is the spec of `CallPlaces`).
    const firstEngines = async (id: string) => {
      const rows: { call: string; unit_id: string; dispatched_ms: number; turnout_s: number; ratio: number }[] = await t.ds.query(
        `SELECT DISTINCT ON (c.call) c.call, a.unit_id, extract(epoch FROM a.dispatched_at) * 1000 AS dispatched_ms,
                extract(epoch FROM a.en_route_at - a.dispatched_at) AS turnout_s,
                extract(epoch FROM a.on_scene_at - a.en_route_at) / (a.eta_seconds - a.turnout_seconds) AS ratio
           FROM assignment a JOIN unit u ON u.world = 'live' AND u.id = a.unit_id
           JOIN LATERAL (SELECT split_part(MIN(call_number), ':', 2) AS call FROM call WHERE incident_id = a.incident_id) c ON true
          WHERE a.world = $1 AND u.unit_type = 'ENGINE' AND a.on_scene_at IS NOT NULL
          ORDER BY c.call, a.dispatched_at, a.eta_seconds, a.unit_id`,
        [id],
      );
      return new Map(rows.map((r) => [r.call, r]));
    };
    const [near, moved] = [await firstEngines(ids[0]), await firstEngines(ids[2])];
    const pairs = [...near].map(([call, n]) => [n, moved.get(call)] as const).filter(([n, m]) => m && Number(m.dispatched_ms) === Number(n.dispatched_ms));
    expect(pairs.length).toBeGreaterThan(10);
    for (const [n, m] of pairs) {
      expect(Number(m!.turnout_s)).toBeCloseTo(Number(n.turnout_s), 2);
      expect(Number(m!.ratio)).toBeCloseTo(Number(n.ratio), 3);
    }

    // The move-up policy looked for moves; the others never did.
    const views = await Promise.all(ids.map((id) => drills.viewOf(id)));
    expect(views[2].moveUps?.looks).toBeGreaterThan(0);
    expect(views[0].moveUps).toBeNull();

    const cmp = await t.app.get(DrillReportService).comparePolicies(ids);
    expect(cmp.run).toMatchObject({ surge: 4, policy: 'nearest' });
    expect(cmp.policies!.map((p) => p.policy)).toEqual(['nearest', 'optimised', 'moveups']);
    for (const p of cmp.policies!) {
      expect(p.p1Calls).toBeGreaterThan(0);
      expect(p.lateShare).toBeGreaterThanOrEqual(0);
      expect(p.lateShare).toBeLessThanOrEqual(1);
      expect(p.meanResponseS).toBeGreaterThan(0);
      expect(p.p90ResponseS).toBeGreaterThanOrEqual(p.meanResponseS! * 0.5);
    }
    expect(cmp.policies![0].lateShareRatio === null || cmp.policies![0].lateShareRatio === 1).toBe(true);
    // The report page asks the API for the same comparison (`?policies=`): move-ups made only by the move-up run.
    const page = await t.request('GET', `/api/drills/${ids[0]}/report.json?policies=${ids[1]},${ids[2]}`);
    expect(page.status).toBe(200);
    expect(page.body.policies.map((p: { policy: string }) => p.policy)).toEqual(['nearest', 'optimised', 'moveups']);
    expect(page.body.policies.map((p: { moveUpsMade: number | null }) => p.moveUpsMade)).toEqual([0, 0, views[2].moveUps!.done]);
    // Hostile twins: too many runs are refused, and so is an unknown one.
    expect((await t.request('GET', `/api/drills/${ids[0]}/report.json?policies=${[1, 2, 3, 4, 5, 6].map(() => ids[1]).join(',')}`)).status).toBe(400);
    expect((await t.request('GET', `/api/drills/${ids[0]}/report.json?policies=no-such-drill`)).status).toBe(404);

    // Hostile twins: runs of another surge are not compared with these; a bad surge is refused naming it.
    const other = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy: 'nearest', seed: 3, limit: 40 });
    expect(other.status).toBe(201);
    await drills.whenDone(other.body.id);
    await expect(t.app.get(DrillReportService).comparePolicies([ids[0], other.body.id])).rejects.toThrow(/different calls/);
    // Hostile twin: a run of the same calls with another seed draws other crews; not compared either.
    const reseeded = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy: 'moveups', seed: 4, limit: 40, surge: 4 });
    expect(reseeded.status).toBe(201);
    await drills.whenDone(reseeded.body.id);
    await expect(t.app.get(DrillReportService).comparePolicies([ids[0], reseeded.body.id])).rejects.toThrow(/different seeds \(3, 4\)/);
    const page409 = await t.request('GET', `/api/drills/${ids[0]}/report.json?policies=${reseeded.body.id}`);
    expect(page409.status).toBe(409);
    expect(JSON.stringify(page409.body)).toContain('different seeds');
    // Hostile twin: a run that sent the city's plans instead of history's first alarms answered other calls for units.
    expect(cmp.run).toMatchObject({ plans: 'history' });
    const cityPlans = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy: 'optimised', seed: 3, limit: 40, surge: 4, plans: 'city' });
    expect(cityPlans.status).toBe(201);
    expect(cityPlans.body).toMatchObject({ plans: 'city' });
    await drills.whenDone(cityPlans.body.id);
    await expect(t.app.get(DrillReportService).comparePolicies([ids[0], cityPlans.body.id])).rejects.toThrow(/different sources \(history, city\)/);
    // Each run's report says where its first alarms came from.
    const reportPage = async (id: string) => (await fetch(`${t.url}/api/drills/${id}/report.html`, { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(await reportPage(ids[0])).toContain('First alarms: the units history sent to each call');
    expect(await reportPage(cityPlans.body.id)).toMatch(/First alarms: the city(&#39;|&#x27;|')s response plans for each call/);
    const badPlans = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', limit: 5, plans: 'sffd' });
    expect(badPlans.status).toBe(400);
    expect(JSON.stringify(badPlans.body)).toContain('plans must be one of history, city');
    for (const surge of [0.5, 'x', 1000]) {
      const bad = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', limit: 5, surge });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('surge');
    }

    // Live units were never read for their state, taken, moved or reset.
    expect(await live()).toBe(liveBefore);
    const [{ n: liveTasksAfter }] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE world = 'live'`);
    expect(liveTasksAfter).toBe(liveTasksBefore);
  }, 900000);
});
