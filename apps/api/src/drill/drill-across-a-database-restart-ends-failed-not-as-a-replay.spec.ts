import { startTestApp, TestApp } from '../testing/test-app';
import { DrillLoop } from './drill-loop.service';
import { DrillService } from './drill.service';

/**
 * A drill's transactions commit without waiting for the WAL flush (migration 1766680000001), so a
 * PostgreSQL crash may lose its last commits while the run goes on (the API survives a database
 * restart). Such a run is not the replay of its day: it must end `failed`, saying why, never `finished`
 * with a report and an event-log hash that differ from the scenario's. The server's start time is the
 * witness; a restart of the shared test server cannot be staged, so the test makes that one reading
 * answer another start time at the run's end. Its twin: the same drill with no restart finishes.
 */
describe('a drill across a database restart ends failed, not as a replay', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drill-db-restart');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('finishes with its hash when the server did not restart, and fails naming the restart when it did', async () => {
    const drills = t.app.get(DrillService);
    const loop = t.app.get(DrillLoop) as unknown as { serverStartedAt(): Promise<string> };
    const first = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy: 'nearest', seed: 1, limit: 5 });
    expect(first.status).toBe(201);
    const ok = await drills.whenDone(first.body.id);
    expect(ok.state).toBe('finished');
    expect(ok.eventLogHash).toMatch(/^[0-9a-f]{64}$/);

    // The second reading of the run (at its end) answers a later start: the server restarted meanwhile.
    const real = loop.serverStartedAt.bind(loop);
    let readings = 0;
    jest.spyOn(loop, 'serverStartedAt').mockImplementation(async () => (++readings === 1 ? real() : '2099-01-01 00:00:00+00'));
    const second = await t.request('POST', '/api/drills', { day: '2017-01-02', speed: 'max', policy: 'nearest', seed: 1, limit: 5 });
    expect(second.status).toBe(201);
    const failed = await drills.whenDone(second.body.id);
    expect(readings).toBe(2);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/PostgreSQL restarted during the run.*replay the drill/);
    expect(failed.eventLogHash).toBeNull();
  });
});
