import * as os from 'node:os';
import { waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * Where the API and a worker share cores, the worker process lowers its own scheduling priority
 * (`WORKER_NICE`, default 10), so a surge's dispatch work yields to intake: a call-taker's `202` stays
 * quick while the backlog is worked (issue 19). The worker still works: a call posted to the API is
 * placed and dispatched by it. `WORKER_NICE=0` leaves a worker as it was started.
 */
describe('a worker beside the API', () => {
  let api: Server;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    api = await startServer('worker-nice', { RUN_WORKERS: 'false' });
    workers.push(await startWorker(api), await startWorker(api, { WORKER_NICE: '0' }));
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api.stop();
  });

  it('runs at nice 10 by default (0 when told) and still dispatches', async () => {
    expect(os.getPriority(workers[0].child.pid!)).toBe(Math.max(10, os.getPriority()));
    expect(os.getPriority(workers[1].child.pid!)).toBe(os.getPriority());
    const posted = await api.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7935, lon: -122.4045 });
    expect(posted.status).toBe(202);
    const status = await waitFor(async () => {
      const r = await api.db.query(`SELECT i.status FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1`, [posted.body.id]);
      return r.rows[0]?.status === 'dispatched' ? r.rows[0].status : null;
    }, 30000, 'the call dispatched by a worker');
    expect(status).toBe('dispatched');
  });
});
