import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DRILL_LEASE_APPLICATION, type DrillRunLeases } from './drill-run-leases';
import { DrillService } from './drill.service';

/**
 * A drill whose process dies mid-run (SIGKILL: its database session ends with it) does not stay
 * `running` for ever: the next process to start records it `failed` with the reason and ends its world
 * the way a stop does (open exercise tasks cleared, incidents cancelled, unit rows deleted), and
 * `POST /api/drills/:id/stop` answers its recorded view instead of 404. Hostile twin: a drill another
 * process is still running is left alone by that start-up, and stopping it there is a 409 naming why.
 */
describe('a drill whose process died', () => {
  let first: TestApp;
  let second: TestApp | undefined;
  beforeAll(async () => {
    first = await startTestApp('drill-died');
  });
  afterAll(async () => {
    await second?.close();
    await first.close();
  });

  const openWorld = async (ds: TestApp['ds'], id: string) => {
    const [row] = await ds.query(
      `SELECT (SELECT count(*)::int FROM incident WHERE drill_id = $1 AND status NOT IN ('closed', 'cancelled', 'merged')) AS incidents,
              (SELECT count(*)::int FROM unit WHERE world = $1) AS units,
              (SELECT count(*)::int FROM assignment WHERE world = $1 AND status <> 'cleared') AS tasks`,
      [id],
    );
    return row as { incidents: number; units: number; tasks: number };
  };

  it('is recorded failed and its world ended at the next start-up; a drill still running elsewhere is not', async () => {
    const drills = first.app.get(DrillService);
    // Slow enough that its incidents are still open when its process "dies".
    const dead = await first.request('POST', '/api/drills', { day: '2017-01-01', speed: 20, policy: 'nearest', seed: 3, limit: 30 });
    expect(dead.status).toBe(201);
    const deadId: string = dead.body.id;
    await waitFor(async () => ((await openWorld(first.ds, deadId)).incidents > 0 ? true : undefined), 60000, 'an open drill incident');
    // Its process dies: its session (and the lease it held) ends, never to be held again; it does
    // nothing more. (Ending only the lease backend of a process that lives on is not a death any more:
    // the lease is held again, see drill-run-keeps-its-lease-when-the-lease-connection-drops.spec.ts.)
    drills.pause(deadId);
    const [{ n: sessions }] = await first.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [DRILL_LEASE_APPLICATION]);
    expect(sessions).toBe(1);
    await (drills as unknown as { leases: DrillRunLeases }).leases.close();
    const before = await openWorld(first.ds, deadId);
    expect(before.units).toBeGreaterThan(0);

    // Another drill, of another day, still run by a live process.
    const alive = await first.request('POST', '/api/drills', { day: '2017-01-02', speed: 1, policy: 'nearest', seed: 4, limit: 5 });
    expect(alive.status).toBe(201);
    const aliveId: string = alive.body.id;

    second = await startTestApp('drill-died-restart', {}, { databaseUrl: first.config.DATABASE_URL });
    const view = (await second.request('GET', `/api/drills/${deadId}`)).body;
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/interrupted/);
    expect(view.finishedAt).toEqual(expect.any(String));
    // Its record says how far it got, from what its world recorded (a tester saw "posted 0, progress 0"
    // for a run 9 of whose calls had become incidents): its stored calls, and the simulated time reached.
    const [{ n: stored }] = await second.ds.query(`SELECT count(*)::int AS n FROM call WHERE drill_id = $1`, [deadId]);
    expect(stored).toBeGreaterThan(0);
    expect(view.posted).toBe(stored);
    expect(view.progress).toBeGreaterThan(0);
    expect(view.simTime.startsWith('2017-01-0')).toBe(true);
    expect(Date.parse(view.simTime)).toBeGreaterThan(Date.parse(view.simStart));
    expect(await openWorld(second.ds, deadId)).toEqual({ incidents: 0, units: 0, tasks: 0 });

    const stopped = await second.request('POST', `/api/drills/${deadId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('failed');
    expect((await second.request('POST', '/api/drills/drill-2017-01-01-nearest-s9-unknown/stop')).status).toBe(404);

    // The drill still running in the first process: untouched, and only stopped there.
    expect((await second.request('GET', `/api/drills/${aliveId}`)).body.state).toBe('running');
    expect((await openWorld(second.ds, aliveId)).units).toBeGreaterThan(0);
    const elsewhere = await second.request('POST', `/api/drills/${aliveId}/stop`);
    expect(elsewhere.status).toBe(409);
    expect(JSON.stringify(elsewhere.body)).toMatch(/another API process/);
    const here = await first.request('POST', `/api/drills/${aliveId}/stop`);
    expect(here.status).toBe(200);
    expect(here.body.state).toBe('stopped');
  }, 240000);
});
