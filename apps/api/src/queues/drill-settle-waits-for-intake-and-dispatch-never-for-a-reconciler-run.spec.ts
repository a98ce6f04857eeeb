import { QueuesService } from './queues.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Issue 19 (drill speed): between two steps a drill waits for the queues to be idle
 * (`QueuesService.idle`). A reconciler run is a wall-clock timer, not work a drill step caused, so the
 * wait does not include it: a reconciler run held up (here by a lock on the deadline table it reads)
 * does not hold the drill. The hostile twin: the same wait still waits for a call's intake and
 * dispatch, however long they take, so the next step never starts before the last one's work is done.
 */
describe('the drill settle waits for intake and dispatch, never for a reconciler run', () => {
  let t: TestApp;
  let queues: QueuesService;
  beforeAll(async () => {
    // Only the runs this test starts: no timer run in the middle of it.
    t = await startTestApp('settle-reconciler', { RECONCILE_INTERVAL_S: '3600' });
    queues = t.app.get(QueuesService);
    await queues.idle();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Resolves to the wait's duration in ms, or to null when it has not ended within `ms`. */
  const idleWithin = async (ms: number) => {
    const t0 = performance.now();
    return Promise.race([queues.idle().then(() => performance.now() - t0), new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  };
  const escalationActive = async () => (await queues.list().find((q) => q.name === 'escalation')!.getJobCounts('active')).active;

  it('a reconciler run held on a lock does not hold the settle; a call blocked behind the same lock does, until its dispatch is decided', async () => {
    const other = t.ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    let callId = '';
    try {
      // The reconciler's first read waits for this lock (and so would a dispatch arming its deadlines).
      await other.query(`LOCK TABLE deadline IN ACCESS EXCLUSIVE MODE`);
      await queues.scheduleReconciler(3600);
      await waitFor(async () => (await escalationActive()) > 0 || null, 10000, 'a reconciler run under way');

      // The reconciler is running (blocked): the settle returns at once all the same.
      const waited = await idleWithin(3000);
      expect(waited).not.toBeNull();
      expect(await escalationActive()).toBeGreaterThan(0);

      // A call: its intake and dispatch are the step's work, and the settle waits for them.
      const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7749, lon: -122.4194, address: 'settle twin' });
      expect(call.status).toBe(202);
      callId = call.body.id;
      const settle = idleWithin(20000);
      // Its dispatch is waiting for the deadline table: the settle has not returned meanwhile.
      expect(await Promise.race([settle, new Promise((r) => setTimeout(() => r('still waiting'), 1500))])).toBe('still waiting');
      await other.commitTransaction();
      expect(await settle).not.toBeNull();
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    // When the settle returned, the call was placed and its incident's dispatch decided.
    const [row] = await t.ds.query(
      `SELECT i.revision::int AS revision, i.decided_revision::int AS decided FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1`,
      [callId],
    );
    expect(row).toBeDefined();
    expect(row.decided).toBe(row.revision);
  });
});
