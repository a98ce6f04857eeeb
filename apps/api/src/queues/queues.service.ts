import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../config/config';
import { DEFAULT_JOB_OPTIONS, DispatchJob, EscalationJob, IntakeJob, jobIds, QueueName } from './queues.constants';

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
   * Arms the delayed job that fires a deadline (job id from the deadline id: arming twice is harmless).
   * @param dueAt when it is due; a time in the past fires at once
   */
  async addDeadline(deadlineId: string, dueAt: Date): Promise<void> {
    const delay = Math.max(0, dueAt.getTime() - Date.now());
    await this.queues.get(QueueName.Escalation)!.add('FireDeadline', { deadlineId } satisfies EscalationJob, { jobId: jobIds.deadline(deadlineId), delay });
  }

  /** Removes a deadline's delayed job (used by fault tests to play a lost timer); true when one was removed. */
  async removeDeadlineJob(deadlineId: string): Promise<boolean> {
    const job = await this.queues.get(QueueName.Escalation)!.getJob(jobIds.deadline(deadlineId));
    if (!job) return false;
    await job.remove();
    return true;
  }

  /** Schedules the reconciler as a repeatable job every `everySeconds` (one scheduler, however many workers). */
  async scheduleReconciler(everySeconds: number): Promise<void> {
    await this.queues
      .get(QueueName.Escalation)!
      .upsertJobScheduler(jobIds.reconciler, { every: everySeconds * 1000 }, { name: 'Reconcile', data: { reconcile: true } satisfies EscalationJob });
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
      lockDuration: this.config.JOB_LOCK_MS,
      stalledInterval: this.config.JOB_LOCK_MS,
    });
    worker.on('failed', (job, err) => this.log.warn(`${name} job ${job?.id} failed: ${err.message}`));
    worker.on('error', (err) => this.log.error(`${name} worker: ${err.message}`));
    this.workers.push(worker);
  }

  /**
   * Number of jobs waiting, delayed or active on the intake and dispatch queues (0 when every call
   * received so far is placed and dispatched). Deadlines and the reconciler are timers, not work in
   * flight, and are not counted.
   */
  async pending(): Promise<number> {
    let n = 0;
    for (const [name, q] of this.queues) {
      if (name === QueueName.Escalation) continue;
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      n += Object.values(c).reduce((a, b) => a + b, 0);
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
