import { Client } from 'pg';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DRILL_LEASE_APPLICATION } from './drill-run-leases';
import { DrillService } from './drill.service';

/**
 * A drill run's lease (a session advisory lock, see `DrillRunLeases`) tells other processes that its
 * process is alive. When the lease connection drops (its backend terminated, as a Postgres restart or
 * a network cut does) while the process lives on, the lease is held again on a new connection, so
 * another process's start-up never takes the run for dead. Hostile twin: when another session took
 * the lease in the gap, the run is stopped and recorded `failed` naming the lost lease, never left
 * running as if it still held it.
 */
describe("a drill run's lease survives its connection dropping", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drill-lease-drop');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Ends the backend of this process's lease connection; how many were ended. */
  const dropLeaseConnection = async (): Promise<number> =>
    (
      await t.ds.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [
        DRILL_LEASE_APPLICATION,
      ])
    )[0].n;
  /** Whether some session holds run `id`'s lease (asked as another process's start-up asks: a try, given back at once). */
  const leaseHeld = async (id: string): Promise<boolean> =>
    t.ds.transaction(async (m) => !(await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('drill_run'), hashtext($1)) AS got`, [id]))[0].got);
  const start = async (day: string, seed: number) => {
    const r = await t.request('POST', '/api/drills', { day, speed: 5, policy: 'nearest', seed, limit: 30 });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };

  it('is held again on a new connection: the run goes on, and a start-up elsewhere leaves it alone', async () => {
    const drills = t.app.get(DrillService);
    const id = await start('2017-01-01', 5);
    expect(await leaseHeld(id)).toBe(true);
    expect(await dropLeaseConnection()).toBe(1);
    // A new lease connection holds it again.
    await waitFor(async () => ((await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [DRILL_LEASE_APPLICATION]))[0].n === 1 ? true : undefined), 20000, 'a new lease connection');
    await waitFor(async () => (await leaseHeld(id)) || undefined, 20000, 'the lease held again');
    // What another process's start-up does: this run is not ended as dead.
    const second = await startTestApp('drill-lease-drop-2', {}, { databaseUrl: t.config.DATABASE_URL });
    try {
      expect((await second.request('GET', `/api/drills/${id}`)).body.state).toBe('running');
      expect(await second.app.get(DrillService).endInterrupted(id)).toEqual([]);
    } finally {
      await second.close();
    }
    expect(drills.get(id).state).toBe('running');
    expect((await t.request('POST', `/api/drills/${id}/stop`)).body.state).toBe('stopped');
    // Given back once its end is recorded.
    await drills.whenDone(id);
    expect(await leaseHeld(id)).toBe(false);
  }, 240000);

  it('hostile: a lease another session took while the connection was down stops the run, recorded failed naming the lost lease', async () => {
    const drills = t.app.get(DrillService);
    const id = await start('2017-01-02', 6);
    // Another session waits for the lease: it gets it the moment the lease connection drops.
    const other = new Client({ connectionString: t.config.DATABASE_URL });
    await other.connect();
    try {
      const taken = other.query(`SELECT pg_advisory_lock(hashtext('drill_run'), hashtext($1))`, [id]);
      await waitFor(async () => ((await t.ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0].n > 0 ? true : undefined), 20000, 'the other session waiting');
      expect(await dropLeaseConnection()).toBe(1);
      await taken;
      const view = await drills.whenDone(id);
      expect(view.state).toBe('failed');
      expect(view.error).toMatch(/lease lost: its lease was taken by another session/);
      const [row] = await t.ds.query(`SELECT state, view->>'error' AS error FROM drill_run WHERE id = $1`, [id]);
      expect(row).toEqual({ state: 'failed', error: view.error });
    } finally {
      await other.end();
    }
  }, 240000);
});
