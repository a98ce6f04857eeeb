import { waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * A worker is killed with SIGKILL in the middle of a dispatch job (its transaction has written the
 * assignments but not committed). Postgres rolls the transaction back; another worker retries the
 * stalled job; the incident ends with one assignment per plan slot, each unit once.
 */
describe('a worker SIGKILLed in the middle of a dispatch job', () => {
  let s: Server;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    s = await startServer('sigkill-dispatch', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await s.stop();
  });

  it('is retried and the result is one assignment per slot', async () => {
    const doomed = await startWorker(s, { JOB_LOCK_MS: '2000' }, { killAt: 'dispatch.assignments-written' });
    workers.push(doomed);
    const res = await s.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7925, lon: -122.4140 });
    expect(res.status).toBe(202);
    expect(await Promise.race([doomed.exited, new Promise((r) => setTimeout(() => r('still alive'), 30000))])).toBe('SIGKILL');
    const [{ incident_id: incidentId }] = (await s.db.query(`SELECT incident_id FROM call WHERE id = $1`, [res.body.id])).rows;
    // Nothing of the killed transaction survived.
    expect((await s.db.query(`SELECT count(*)::int AS n FROM assignment WHERE incident_id = $1`, [incidentId])).rows[0].n).toBe(0);

    workers.push(await startWorker(s, { JOB_LOCK_MS: '2000' }));
    const incident = await waitFor(async () => {
      const r = await s.request('GET', `/api/incidents/${incidentId}`);
      return r.body.status === 'dispatched' ? r.body : null;
    }, 30000, 'dispatch by the second worker');
    const units = incident.assignments.map((a: any) => a.unitId);
    expect(new Set(units).size).toBe(units.length);
    const created = (await s.db.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [incidentId])).rows[0].n;
    expect(created).toBe(units.length);
    const [{ slots }] = (await s.db.query(`SELECT slots FROM response_plan WHERE call_type = 'Structure Fire'`)).rows;
    const wanted = Object.values(slots as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(units.length + (incident.lastError?.startsWith('unfilled') ? incident.lastError.split(',').length : 0)).toBe(wanted);
    const busy = (await s.db.query(`SELECT count(*)::int AS n FROM unit WHERE id = ANY($1) AND status = 'dispatched'`, [units])).rows[0].n;
    expect(busy).toBe(units.length);
  });
});
