import { cloneTestDatabase } from '@cad/db/testing';
import { OutagesService } from './outages.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * An upgrade or a maintenance window stops CAD on purpose; the record used to call it an outage like
 * a crash. Scaled down (beats every 0.5 s, a gap of 1.5 s): an API stopped in order and started again
 * after the gap records a planned stop; the hostile twins, a process whose beats stop without its
 * stop being recorded (killed, hung), and two API nodes of which only one was stopped in order,
 * record an unplanned outage. A worker that keeps running while the only API is stopped in order
 * opens a planned one. A planned stop holds crews' acknowledgement deadlines as an outage does
 * (nobody could reach CAD either way).
 */
describe('an orderly stop of CAD', () => {
  const env = { OUTAGE_HEARTBEAT_S: '0.5', OUTAGE_GAP_S: '1.5', OUTAGE_GRACE_S: '2' };
  const GAP_MS = 3000;
  let databaseUrl: string;
  let api: TestApp;
  const started: TestApp[] = [];
  const start = async (role: 'api' | 'worker' = 'api') => {
    const t = await startTestApp('orderly-stop', env, { databaseUrl, role, signIn: role === 'api' });
    started.push(t);
    return t;
  };
  const firstBeat = (t: TestApp) =>
    waitFor(async () => ((await t.ds.query(`SELECT 1 FROM heartbeat WHERE process_id = $1`, [t.app.get(OutagesService).processId])).length ? true : null), 10000, 'the first heartbeat');
  /** The outages longer than the gap this spec made (a loaded machine may add short ones), oldest first. */
  const longOutages = async (t: TestApp) =>
    ((await t.request('GET', '/api/outages')).body as { planned: boolean; seconds: number; endedAt: string | null; startedAt: string; detectedBy: string }[])
      .filter((o) => o.seconds >= 2.5)
      .reverse();
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Starts an API after the gap and answers the one outage recorded since `before` were listed. */
  const restartedNewOutage = async (before: number) => {
    api = await start();
    await firstBeat(api);
    const all = await longOutages(api);
    expect(all).toHaveLength(before + 1);
    return all[all.length - 1];
  };
  const stop = async (t: TestApp) => {
    started.splice(started.indexOf(t), 1);
    await t.close();
  };

  beforeAll(async () => {
    databaseUrl = await cloneTestDatabase('orderly-stop');
    api = await start();
    await firstBeat(api);
  });
  afterAll(async () => {
    for (const t of started) await t.close();
  });

  it('records a stop in order, then a start after the gap, as a planned stop that still holds deadlines', async () => {
    const outages = api.app.get(OutagesService);
    const id = outages.processId;
    await stop(api);
    await pause(GAP_MS);
    api = await start();
    await firstBeat(api);
    const [row]: { stopped_at: Date | null; beat_at: Date }[] = await api.ds.query(`SELECT stopped_at, beat_at FROM heartbeat WHERE process_id = $1`, [id]);
    expect(row.stopped_at).not.toBeNull();
    expect(row.beat_at.getTime()).toBeGreaterThanOrEqual(row.stopped_at!.getTime());
    const [o] = await longOutages(api);
    expect(o).toMatchObject({ planned: true });
    expect(o.endedAt).not.toBeNull();
    expect(new Date(o.startedAt).getTime()).toBe(row.beat_at.getTime());
    // Crews could not reach CAD in it: a deadline due in the middle waits for the grace after it.
    const mid = new Date(new Date(o.startedAt).getTime() + 1000);
    expect(await api.app.get(OutagesService).inOutage(mid)).toBe(true);
  });

  it('records beats that stop without a recorded stop (killed, hung) as an unplanned outage', async () => {
    const before = (await longOutages(api)).length;
    // What SIGKILL leaves: the beats stop, nothing is written.
    api.app.get(OutagesService).onApplicationShutdown();
    await pause(GAP_MS);
    // Its later close finds the beats already stopped and records no stop over the crash.
    await stop(api);
    expect(await restartedNewOutage(before)).toMatchObject({ planned: false });
  });

  it('records an unplanned outage when one of two API nodes was stopped in order and the other died', async () => {
    const second = await start();
    await firstBeat(second);
    const before = (await longOutages(api)).length;
    second.app.get(OutagesService).onApplicationShutdown(); // dies
    await stop(api); // stopped in order
    await pause(GAP_MS);
    await stop(second);
    expect(await restartedNewOutage(before)).toMatchObject({ planned: false });
  });

  it('records a database loss that ended just before an orderly stop as the unplanned outage it was, and the stop after it as planned', async () => {
    const before = (await longOutages(api)).length;
    const outages = api.app.get(OutagesService);
    // PostgreSQL unreachable for this process: every beat fails (as with ECONNREFUSED) for longer than the gap.
    const lost = jest.spyOn(outages, 'beat').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    await pause(GAP_MS);
    lost.mockRestore();
    // Back, and stopped in order before the next timer beat (someone restarts the API once the database is back).
    await stop(api);
    await pause(GAP_MS);
    api = await start();
    await firstBeat(api);
    const all = await longOutages(api);
    expect(all).toHaveLength(before + 2);
    const [loss, planned] = all.slice(-2);
    expect(loss).toMatchObject({ planned: false });
    expect(loss.endedAt).not.toBeNull();
    expect(planned).toMatchObject({ planned: true });
    expect(new Date(planned.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(loss.endedAt!).getTime());
  });

  it('has a worker that kept running open a planned stop while the only API is stopped in order, and the API close it', async () => {
    const worker = await start('worker');
    await firstBeat(worker);
    const before = (await longOutages(api)).length;
    await stop(api);
    const open = await waitFor(async () => {
      const [r]: { planned: boolean; ended_at: Date | null; detected_by: string }[] = await worker.ds.query(
        `SELECT planned, ended_at, detected_by FROM outage WHERE ended_at IS NULL`,
      );
      return r ?? null;
    }, 10000, 'the worker to open an outage');
    expect(open).toMatchObject({ planned: true, ended_at: null });
    expect(open.detected_by).toMatch(/^worker-/);
    await pause(1000);
    api = await start();
    await firstBeat(api);
    const all = await waitFor(async () => {
      const list = await longOutages(api);
      return list.length === before + 1 && list[list.length - 1].endedAt ? list : null;
    }, 10000, 'the API to close it');
    expect(all[all.length - 1]).toMatchObject({ planned: true });
    await stop(worker);
  });
});
