import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * A worker is killed with SIGKILL right after it committed an escalation (an acknowledgement
 * deadline fired), before BullMQ marked the job done. A second worker picks the stalled job up and
 * runs it again: the deadline is already fired, so the incident is escalated exactly once, and the
 * replacement unit the dead worker never sent is sent by the retry.
 */
describe('a worker killed (SIGKILL) after it wrote an escalation', () => {
  let s: Server;
  const workers: WorkerProcess[] = [];
  let redis: IORedis;
  beforeAll(async () => {
    s = await startServer('sigkill', { RUN_WORKERS: 'false' });
    redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await s.stop();
    await redis.quit();
  });

  it('makes exactly one escalation', async () => {
    const timers = { ACK_TIMEOUT_S: '2', JOB_LOCK_MS: '2000', RECONCILE_INTERVAL_S: '60' };
    const doomed = await startWorker(s, timers, { killAt: 'escalation.committed' });
    workers.push(doomed);
    const res = await s.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    expect(res.status).toBe(202);
    const callId = res.body.id as string;

    // The doomed worker dispatches, then its ack deadline fires ~2 s later: it commits and dies.
    expect(await Promise.race([doomed.exited, new Promise((r) => setTimeout(() => r('still alive'), 30000))])).toBe('SIGKILL');
    const [{ incident_id: incidentId }] = (await s.db.query(`SELECT incident_id FROM call WHERE id = $1`, [callId])).rows;
    // Both tasks (engine, ambulance) went unacknowledged; the escalation workers run two jobs at
    // once, so the second deadline may have fired too, but only the first escalated (one per round).
    const escalated = (await s.db.query(`SELECT key FROM escalation WHERE incident_id = $1 AND reason = 'not_acknowledged'`, [incidentId])).rows;
    expect(escalated).toHaveLength(1);
    const killedDeadline = (escalated[0].key as string).replace(/^deadline-/, '');
    const [{ state }] = (await s.db.query(`SELECT state FROM deadline WHERE id = $1`, [killedDeadline])).rows;
    expect(state).toBe('fired');

    // Its job is still active in Redis (never completed): a second worker retries it once the lock lapses.
    const queue = new Queue('escalation', { connection: redis, prefix: s.redisPrefix });
    const job = await queue.getJob(`deadline-${killedDeadline}`);
    expect(await job!.getState()).toBe('active');
    workers.push(await startWorker(s, timers));
    // The state is read first and the job after it: a job read before it completed keeps a null
    // return value even when its state, read a moment later, says completed.
    const done = await waitFor(async () => {
      const id = `deadline-${killedDeadline}`;
      return (await queue.getJobState(id)) === 'completed' ? queue.getJob(id) : null;
    }, 30000, 'the retried deadline job');
    expect(done!.returnvalue).toMatchObject({ outcome: 'skipped' });
    await queue.close();

    const after = (await s.db.query(`SELECT key FROM escalation WHERE incident_id = $1 AND key = $2`, [incidentId, `deadline-${killedDeadline}`])).rows;
    expect(after).toHaveLength(1);
    // One escalated event per recorded escalation: the retry appended nothing.
    const rows = (await s.db.query(`SELECT count(*)::int AS n FROM escalation WHERE incident_id = $1 AND reason = 'not_acknowledged'`, [incidentId])).rows;
    const events = (await s.db.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'incident.escalated' AND payload->>'reason' = 'not_acknowledged'`, [incidentId])).rows;
    expect(events[0].n).toBe(rows[0].n);
    // The retried job also sent the replacement the dead worker never sent: one per released task.
    const released = await waitFor(async () => {
      const r = (await s.db.query(
        `SELECT a.id, (SELECT count(*)::int FROM assignment b WHERE b.replaces_id = a.id) AS replacements
           FROM assignment a WHERE a.id = (SELECT assignment_id FROM deadline WHERE id = $1)`,
        [killedDeadline],
      )).rows[0];
      return r?.replacements ? r : null;
    }, 15000, 'the replacement of the killed job task');
    expect(released.replacements).toBe(1);
  });
});
