import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { waitFor } from '@cad/db/testing';
import { DispatchJob, QueueName } from './queues.constants';
import { QueuesService } from './queues.service';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * When units are short, incidents wait and are dispatched again as units free up, one job at a time.
 * The dispatch queue orders those jobs by incident priority (BullMQ job priority), first come first
 * served within one priority: a P1 received after two P3s gets the next free unit.
 */
describe('the dispatch queue', () => {
  let t: TestApp;
  let redis: IORedis;
  beforeAll(async () => {
    t = await startTestApp('dispatch-order', { RUN_WORKERS: 'false' });
    redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await redis.quit();
    await t.close();
  });

  it('serves a P1 queued after two P3s first, and keeps arrival order within a priority', async () => {
    const queues = t.app.get(QueuesService);
    const jobs: DispatchJob[] = [
      { incidentId: 'p3-first', revision: 1, priority: 3 },
      { incidentId: 'p2', revision: 1, priority: 2 },
      { incidentId: 'p3-second', revision: 1, priority: 3 },
      { incidentId: 'p1', revision: 1, priority: 1 },
    ];
    for (const j of jobs) await queues.addDispatch(j);
    const order: string[] = [];
    const worker = new Worker<DispatchJob>(
      QueueName.Dispatch,
      async (job: Job<DispatchJob>) => {
        order.push(job.data.incidentId);
      },
      { connection: redis, prefix: t.config.REDIS_PREFIX, concurrency: 1 },
    );
    try {
      await waitFor(async () => order.length === jobs.length, 15000, 'every dispatch job');
    } finally {
      await worker.close();
    }
    expect(order).toEqual(['p1', 'p2', 'p3-first', 'p3-second']);
  });
});
