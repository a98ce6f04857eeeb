import { startTestApp, TestApp } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * A drill run is recorded (`drill_run`): its policy as soon as it starts, its final state and its
 * after-action report when it ends. After the API that ran it restarts, the run is still listed,
 * its report is served as it was, and any process dispatching its incidents knows its policy.
 */
describe('a drill run after its API restarts', () => {
  let t: TestApp | null = null;
  let t2: TestApp | null = null;
  afterAll(async () => {
    await t?.close();
    await t2?.close();
  });

  it('is still listed with its report and policy', async () => {
    t = await startTestApp('drill-restart');
    const started = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', limit: 4, policy: 'optimised', seed: 3 });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const done = await t.app.get(DrillService).whenDone(id);
    expect(done.state).toBe('finished');
    const before = await t.request('GET', `/api/drills/${id}/report.json`);
    expect(before.status).toBe(200);
    const dbUrl = t.config.DATABASE_URL!;
    await t.close();
    t = null;

    // The restarted API, on the same record.
    t2 = await startTestApp('drill-restart-2', { DATABASE_URL: dbUrl });
    const list = await t2.request('GET', '/api/drills');
    expect(list.body.find((r: { id: string }) => r.id === id)).toMatchObject({ state: 'finished', calls: 4, policy: 'optimised', seed: 3 });
    expect((await t2.request('GET', `/api/drills/${id}`)).body).toMatchObject({ id, state: 'finished', posted: 4 });
    const after = await t2.request('GET', `/api/drills/${id}/report.json`);
    expect(after.status).toBe(200);
    expect(after.body.overall).toEqual(before.body.overall);
    expect(after.body.notes).toEqual(before.body.notes);
    const html = await fetch(`${t2.url}/api/drills/${id}/report.html`, { headers: { authorization: `Bearer ${t2.token}` } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<h2>Notes</h2>');
    // A process that did not run the drill still dispatches its incidents under its policy.
    expect(await t2.app.get(DrillService).policyFor(id)).toBe('optimised');
    expect(await t2.app.get(DrillService).policyFor(null)).toBeNull();
    expect((await t2.request('GET', '/api/drills/drill-unknown')).status).toBe(404);
  });
});
