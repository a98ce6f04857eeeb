import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../config/config';
import { DEFAULT_JOB_OPTIONS, DispatchJob, IntakeJob, jobIds, QueueName } from './queues.constants';

/** Owns the Redis connections and the BullMQ queues; starts processors on request. */
@Injectable()
export class QueuesService implements OnModuleDestroy {
  private readonly log = new Logger('Queues');
  private readonly connection: IORedis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.connection = new IORedis(config.REDIS_URL!, { maxRetriesPerRequest: null });
    for (const name of Object.values(QueueName)) {
      this.queues.set(name, new Queue(name, { connection: this.connection, prefix: config.REDIS_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
    }
  }

  /** Queues the intake of a stored call (job id from the call id: a repeat is a no-op). */
  async addIntake(job: IntakeJob): Promise<void> {
    await this.queues.get(QueueName.Intake)!.add('IntakeCall', job, { jobId: jobIds.intake(job.callId) });
  }

  /** Queues the dispatch of an incident at a revision. */
  async addDispatch(job: DispatchJob): Promise<void> {
    await this.queues.get(QueueName.Dispatch)!.add('DispatchIncident', job, { jobId: jobIds.dispatch(job.incidentId, job.revision) });
  }

  /**
   * Starts a processor for a queue. A handler that throws `UnrecoverableError` fails the job at once;
   * any other error retries with backoff.
   */
  process<T>(name: QueueName, handler: (data: T, job: Job<T>) => Promise<unknown>, concurrency = 4): void {
    const worker = new Worker<T>(name, (job) => handler(job.data, job), {
      connection: this.connection.duplicate(),
      prefix: this.config.REDIS_PREFIX,
      concurrency,
    });
    worker.on('failed', (job, err) => this.log.warn(`${name} job ${job?.id} failed: ${err.message}`));
    worker.on('error', (err) => this.log.error(`${name} worker: ${err.message}`));
    this.workers.push(worker);
  }

  /** Number of jobs waiting, delayed or active on every queue (0 when all work is done). */
  async pending(): Promise<number> {
    let n = 0;
    for (const q of this.queues.values()) {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      n += Object.values(c).reduce((a, b) => a + b, 0);
    }
    return n;
  }

  /**
   * Number of jobs waiting or running now, on every queue (delayed jobs such as timers not counted):
   * the drill waits for 0 before it moves its simulated clock on.
   */
  async busy(): Promise<number> {
    let n = 0;
    for (const q of this.queues.values()) {
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      n += c.waiting + c.active + c.prioritized;
    }
    return n;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => undefined);
  }
}

export { UnrecoverableError, QueueEvents };
