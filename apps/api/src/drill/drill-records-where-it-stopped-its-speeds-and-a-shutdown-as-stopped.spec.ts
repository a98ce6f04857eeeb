import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * What an independent tester saw in the drill records: a finished run's `simTime` was today's date
 * instead of the simulated 2017 instant where it stopped; the dialog and report showed only the last
 * speed set (`max`) for a run played mostly at 60×; and a normal server stop (SIGTERM) recorded the
 * running drill as "failed: Connection is closed.". Now a run keeps its simulated time, the speeds it was
 * played at (`speedHistory`), and a shutdown records it `stopped` with the reason.
 */
describe('a drill run records where it stopped, the speeds it was played at, and a shutdown as a stop', () => {
  let t: TestApp | null = null;
  let t2: TestApp | null = null;
  afterAll(async () => {
    await t2?.close();
    await t?.close();
  });

  it('a finished run keeps its simulated time and every speed it was played at', async () => {
    t = await startTestApp('drill-records');
    const started = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 60, limit: 4, policy: 'nearest', seed: 2 });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    expect((await t.request('PATCH', `/api/drills/${id}`, { speed: 'max' })).status).toBe(200);
    await t.app.get(DrillService).whenDone(id);
    const view = (await t.request('GET', `/api/drills/${id}`)).body;
    expect(view.state).toBe('finished');
    const sim = Date.parse(view.simTime);
    // Where the run stopped on its simulated clock: within the replayed day (plus its last tasks), never the wall clock.
    expect(sim).toBeGreaterThanOrEqual(Date.parse(view.simStart));
    expect(sim).toBeLessThan(Date.parse(view.simEnd) + 24 * 3600_000);
    expect(view.simTime.startsWith('2017-01-0')).toBe(true);
    expect(view.speed).toBe('max');
    expect(view.speedHistory.map((c: { speed: unknown }) => c.speed)).toEqual([60, 'max']);
    expect(view.speedHistory[0].simTime).toBe(view.simStart);
    const html = await fetch(`${t.url}/api/drills/${id}/report.html`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(await html.text()).toContain('60 → max');

    // Hostile twin: a run kept at one speed reports that speed alone.
    const kept = await t.request('POST', '/api/drills', { day: '2017-01-02', speed: 'max', limit: 3, policy: 'nearest', seed: 2 });
    expect((await t.request('PATCH', `/api/drills/${kept.body.id}`, { speed: 'max' })).status).toBe(200);
    const keptView = await t.app.get(DrillService).whenDone(kept.body.id);
    expect(keptView.speedHistory.map((c) => c.speed)).toEqual(['max']);
    expect(keptView.simTime.startsWith('2017-01-0')).toBe(true);
  });

  it('a drill running when its server shuts down is recorded stopped with the reason, never failed with a connection error', async () => {
    t ??= await startTestApp('drill-records');
    const started = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 20, limit: 30, policy: 'nearest', seed: 3 });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    await waitFor(async () => (Number((await t!.ds.query(`SELECT count(*) AS n FROM incident WHERE drill_id = $1`, [id]))[0].n) > 0 ? true : undefined), 60000, 'a drill incident');
    const dbUrl = t.config.DATABASE_URL!;
    await t.close(); // the graceful shutdown SIGTERM triggers (enableShutdownHooks → app.close())
    t = null;

    t2 = await startTestApp('drill-records-2', {}, { databaseUrl: dbUrl });
    const view = (await t2.request('GET', `/api/drills/${id}`)).body;
    expect(view.state).toBe('stopped');
    expect(view.error).toMatch(/server shut down/);
    expect(view.error).not.toMatch(/connection/i);
    expect(view.posted).toBeGreaterThan(0);
    expect(view.simTime.startsWith('2017-01-0')).toBe(true);
    expect(view.progress).toBeGreaterThan(0);
  });
});
