import { ChildProcess, spawn } from 'node:child_process';
import { freePort, portAnswers } from '../infra/local-services';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Redis restarts (empty: no persistence, as in production caches): while it is down intake answers
 * 503 and stores nothing; nothing accepted before is lost; an escalation timer that fell due during
 * the outage fires within 5 s after Redis returns (the reconciler is rescheduled on reconnect). The
 * acknowledgement policy is `replace`, so the one timer that falls due is the one that escalates.
 */
describe('Redis restart', () => {
  let t: TestApp;
  let redis: ChildProcess;
  let port: number;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(() => portAnswers(port), 10000, 'private redis-server');
  };
  const stopRedis = async () => {
    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    t = await startTestApp('redis-fault', { REDIS_URL: `redis://127.0.0.1:${port}`, ACK_TIMEOUT_S: '3', RECONCILE_INTERVAL_S: '1', ACK_POLICY: 'replace' });
  });
  afterAll(async () => {
    await t.close();
    if (redis.exitCode === null) await stopRedis();
  });

  it('answers 503 while down, loses nothing accepted, and fires timers due during the outage within 5 s of its return', async () => {
    const before = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    expect(before.status).toBe(202);
    const incident = await t.incidentOf(before.body.id);
    const deadlines = await t.ds.query(`SELECT id, due_at FROM deadline WHERE incident_id = $1 AND state = 'pending'`, [incident.id]);
    expect(deadlines.length).toBeGreaterThan(0);

    await stopRedis();
    const [{ n: callsBefore }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    const during = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7990, lon: -122.4250 });
    expect(during.status).toBe(503);
    expect(during.body.message).toContain('Redis');
    const [{ n: callsDuring }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    expect(callsDuring).toBe(callsBefore);
    const ready = await t.request('GET', '/api/health/ready', undefined, null);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', postgres: 'up', redis: 'down', down: ['redis'] });

    // Stay down until every ack deadline is past due.
    const lastDue = Math.max(...deadlines.map((d: any) => new Date(d.due_at).getTime()));
    await new Promise((r) => setTimeout(r, Math.max(0, lastDue - Date.now()) + 500));
    await startRedis();
    const back = Date.now();
    // Each timer's own firing instant (`fired_at`, stamped by the process that fired it) is held to the
    // 5 s, not the moment this test's poll saw it: a poll slowed by a loaded CI machine measures the test.
    const fired = await waitFor(async () => {
      const rows: { state: string; fired_at: Date | null }[] = await t.ds.query(`SELECT state, fired_at FROM deadline WHERE id = ANY($1)`, [deadlines.map((d: any) => d.id)]);
      return rows.every((r) => r.state !== 'pending') ? rows : null;
    }, 15000, 'timers due during the outage');
    for (const r of fired) {
      expect(r.state).toBe('fired');
      expect(r.fired_at!.getTime() - back).toBeLessThan(5000);
    }
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(after.escalations.some((e: any) => e.reason === 'not_acknowledged')).toBe(true);
    // Nothing accepted before was lost; intake works again.
    expect(after.calls.map((c: any) => c.id)).toContain(before.body.id);
    const again = await waitFor(async () => {
      const r = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7850, lon: -122.4300 });
      return r.status === 202 ? r : null;
    }, 5000, 'intake after Redis returned');
    expect((await t.incidentOf(again.body.id)).assignments.length).toBeGreaterThan(0);
  });
});
