import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '../config/config';
import { logContextOf, withLogContext } from '../platform/logging/log-context';
import { DEFAULT_JOB_OPTIONS, DispatchJob, EscalationJob, IntakeJob, jobIds, QueueName, ReplaceTaskJob, SweepRequestsJob } from './queues.constants';

/** Job name of the reconciler's runs (repeatable, and one at each start). */
const RECONCILE_JOB = 'Reconcile';

/** Owns the Redis connections and the BullMQ queues; starts processors on request. */
@Injectable()
export class QueuesService implements OnModuleDestroy {
  private readonly log = new Logger('Queues');
  private readonly connection: IORedis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];

  private readonly readyListeners: (() => void)[] = [];
  private readonly finishedListeners: ((queue: QueueName, job: Job, outcome: 'completed' | 'failed') => void)[] = [];

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    // Reconnect quickly (at most 1 s apart) so work resumes within seconds of Redis coming back.
    this.connection = new IORedis(config.REDIS_URL!, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 100, 1000) });
    this.connection.on('ready', () => this.readyListeners.forEach((f) => f()));
    this.connection.on('error', (e) => this.log.debug(`redis: ${e.message}`));
    for (const name of Object.values(QueueName)) {
      const q = new Queue(name, { connection: this.connection, prefix: config.REDIS_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      q.on('error', (e) => this.outage(`queue ${name}`, e));
      this.queues.set(name, q);
    }
  }

  /** True while the queue connection to Redis is up. */
  get redisReady(): boolean {
    return this.connection.status === 'ready';
  }

  /** Calls `f` every time the Redis connection becomes ready (at start and after each reconnect). */
  onReady(f: () => void): void {
    this.readyListeners.push(f);
  }

  /** Every queue of the system (for the queue dashboard and the metrics). */
  list(): Queue[] {
    return [...this.queues.values()];
  }

  /**
   * Calls `f` when a job of this process's processors completes or fails (each attempt), with the job
   * (`timestamp`, `processedOn`, `finishedOn`, epoch ms): the metrics time queue waits and job durations.
   */
  onJobFinished(f: (queue: QueueName, job: Job, outcome: 'completed' | 'failed') => void): void {
    this.finishedListeners.push(f);
  }

  /** Redis round trip, or throws when Redis does not answer within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<void> {
    await withTimeout(this.connection.ping(), timeoutMs, 'Redis did not answer');
  }

  /**
   * Queues the intake of a stored call (job id from the call id: a repeat is a no-op).
   * @throws Error when Redis does not take it within `timeoutMs` (the reconciler queues it later)
   */
  async addIntake(job: IntakeJob, timeoutMs = 2000): Promise<void> {
    await withTimeout(this.queues.get(QueueName.Intake)!.add('IntakeCall', job, { jobId: jobIds.intake(job.callId) }), timeoutMs, 'Redis did not take the job');
    this.added(1);
  }

  /**
   * Queues the intake of many stored calls in one Redis round trip (BullMQ `addBulk`; job ids from the
   * call ids, so a repeat is a no-op): the call batch writer's half of a batch.
   * @throws Error when Redis does not take them within `timeoutMs` (the reconciler queues them later)
   */
  async addIntakes(jobs: IntakeJob[], timeoutMs = 2000): Promise<void> {
    if (!jobs.length) return;
    const bulk = jobs.map((data) => ({ name: 'IntakeCall', data, opts: { jobId: jobIds.intake(data.callId) } }));
    await withTimeout(this.queues.get(QueueName.Intake)!.addBulk(bulk), timeoutMs, 'Redis did not take the jobs');
    this.added(bulk.length);
  }

  /**
   * Queues the dispatch of an incident at a revision, most urgent first (BullMQ `priority` = the
   * incident's priority 1..3, FIFO within one priority).
   */
  async addDispatch(job: DispatchJob): Promise<void> {
    const priority = Math.min(Math.max(Math.round(job.priority) || 3, 1), 9);
    await this.queues.get(QueueName.Dispatch)!.add('DispatchIncident', job, { jobId: jobIds.dispatch(job.incidentId, job.revision), priority });
    this.added(1);
  }

  /**
   * Asks the dispatch room for one unit to replace a task taken back for want of acknowledgement (the
   * command chain's message: it never calls dispatch). No BullMQ priority: ahead of every dispatch
   * round waiting. Job id from the task: asking twice is harmless.
   */
  async addReplaceTask(job: ReplaceTaskJob): Promise<void> {
    // A retry (a unit freed since the first ask) is its own job: the first ask's id may still be kept as completed.
    // A retry (a unit freed since the first ask) is its own job: the first ask's id, or an earlier retry's,
    // may still be kept as completed, and a job id that is taken would drop it.
    const jobId = job.retry ? `${jobIds.replaceTask(job.replaceAssignmentId)}-retry-${randomUUID()}` : jobIds.replaceTask(job.replaceAssignmentId);
    await this.queues.get(QueueName.Dispatch)!.add('ReplaceTask', job, { jobId });
  }

  /**
   * Asks the dispatch room to sweep requests to other agencies' posts left unanswered (after each run of
   * the reconciler, whose job id names the sweep: a retried run asks once).
   */
  async addSweepRequests(reconcileJobId: string): Promise<void> {
    await this.queues.get(QueueName.Dispatch)!.add('SweepUnansweredRequests', { sweepUnansweredRequests: true } satisfies SweepRequestsJob, { jobId: jobIds.sweepRequests(reconcileJobId) });
  }

  /**
   * Arms the delayed job that fires a deadline (job id from the deadline id: arming twice is harmless).
   * @param dueAt when it is due; a time in the past fires at once
   */
  async addDeadline(deadlineId: string, dueAt: Date): Promise<void> {
    const delay = Math.max(0, dueAt.getTime() - Date.now());
    await this.queues.get(QueueName.Escalation)!.add('FireDeadline', { deadlineId } satisfies EscalationJob, { jobId: jobIds.deadline(deadlineId), delay });
  }

  /** Arms a delayed job that tries a deadline held for an outage again at `until` (one job per try). */
  async addHeldDeadline(deadlineId: string, until: Date): Promise<void> {
    const delay = Math.max(0, until.getTime() - Date.now());
    await this.queues.get(QueueName.Escalation)!.add('FireDeadline', { deadlineId } satisfies EscalationJob, { jobId: jobIds.heldDeadline(deadlineId, until.getTime()), delay });
  }

  /** Removes a deadline's delayed job (used by fault tests to play a lost timer); true when one was removed. */
  async removeDeadlineJob(deadlineId: string): Promise<boolean> {
    const job = await this.queues.get(QueueName.Escalation)!.getJob(jobIds.deadline(deadlineId));
    if (!job) return false;
    await job.remove();
    return true;
  }

  /**
   * Schedules the reconciler as a repeatable job every `everySeconds` (one scheduler, however many
   * workers; upserting again is harmless), and queues one sweep now unless `sweepNow` is false (the
   * caller sweeps itself). Called at start and after every Redis reconnect: a Redis that restarted
   * empty has lost the scheduler and every delayed job.
   */
  async scheduleReconciler(everySeconds: number, sweepNow = true): Promise<void> {
    const q = this.queues.get(QueueName.Escalation)!;
    await q.upsertJobScheduler(jobIds.reconciler, { every: everySeconds * 1000 }, { name: RECONCILE_JOB, data: { reconcile: true } satisfies EscalationJob });
    if (sweepNow) await q.add(RECONCILE_JOB, { reconcile: true } satisfies EscalationJob, { jobId: `reconcile-now-${Date.now()}`, removeOnComplete: true });
  }

  /**
   * Starts a processor for a queue. A handler that throws `UnrecoverableError` fails the job at once;
   * any other error retries with backoff.
   */
  process<T>(name: QueueName, handler: (data: T, job: Job<T>) => Promise<unknown>, concurrency = 4): void {
    const worker = new Worker<T>(name, (job) => withLogContext(logContextOf(job.data), () => handler(job.data, job)), {
      connection: this.connection.duplicate(),
      prefix: this.config.REDIS_PREFIX,
      concurrency,
      lockDuration: this.config.JOB_LOCK_MS,
      stalledInterval: this.config.JOB_LOCK_MS,
      // After a connection error BullMQ waits this long before fetching again (its default is 15 s):
      // a Redis back from an outage must see timers that fell due fire within seconds, not 15 s later.
      runRetryDelay: 1000,
    });
    worker.on('active', (job) => {
      if (job.name === RECONCILE_JOB) this.reconciling++;
    });
    worker.on('completed', (job) => {
      if (job.name === RECONCILE_JOB) this.reconciling = Math.max(0, this.reconciling - 1);
      this.finished(name);
      this.finishedListeners.forEach((f) => f(name, job, 'completed'));
    });
    worker.on('failed', (job, err) => {
      if (job?.name === RECONCILE_JOB) this.reconciling = Math.max(0, this.reconciling - 1);
      this.finished(name);
      withLogContext(logContextOf(job?.data), () => this.log.warn(`${name} job ${job?.id} failed: ${err.message}`));
      if (job) this.finishedListeners.forEach((f) => f(name, job, 'failed'));
    });
    worker.on('error', (err) => this.outage(`${name} worker`, err));
    this.workers.push(worker);
  }

  /** Jobs of this process's workers finished so far (each attempt), and who waits for the next one. */
  private finishedCount = 0;
  private finishWaiters: (() => void)[] = [];
  /**
   * Intake and dispatch jobs this process queued that its own workers have not finished yet: a hint
   * only (a job queued twice under one id runs once, another process may run it, a failed attempt
   * runs again), so {@link idle} waits for it to reach 0 and then asks Redis once, instead of asking
   * Redis after every job (issue 19's profile of the drill). Reset to 0 whenever Redis says idle.
   */
  private inFlight = 0;
  /** Reconciler runs this process's workers have started and not finished (see {@link busy}). */
  private reconciling = 0;

  private added(n: number): void {
    this.inFlight += n;
  }

  private finished(queue: QueueName): void {
    this.finishedCount++;
    if (queue !== QueueName.Escalation && this.inFlight > 0) this.inFlight--;
    const waiters = this.finishWaiters;
    this.finishWaiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Resolves once no job is waiting or running on any queue ({@link busy} answers 0), or when `giveUp`
   * says so. While jobs this process queued are still running on its own workers it waits for them
   * (woken by each finished job, not asking Redis); then it asks Redis, and again each time a job of
   * this process's workers finishes, and otherwise every `fallbackMs` (jobs run by workers in other
   * processes send no event here): 25 ms when this process runs workers, else 1 ms at first and 5 ms
   * after 100 asks. The drill waits here between its steps.
   */
  async idle(giveUp: () => boolean = () => false): Promise<void> {
    let timedOut = false;
    for (let i = 0; ; i++) {
      const before = this.finishedCount;
      // Its own jobs still running here: wait for the next to finish before asking Redis (after a
      // fallback wait Redis is asked anyway: the hint may be stale).
      if (this.workers.length === 0 || this.inFlight === 0 || timedOut) {
        if ((await this.busy()) === 0) {
          this.inFlight = 0;
          return;
        }
        if (giveUp()) return;
        // A job that finished while Redis was asked: ask again at once.
        if (this.finishedCount !== before) continue;
      } else if (giveUp()) return;
      const fallbackMs = this.workers.length ? 25 : i < 100 ? 1 : 5;
      timedOut = await new Promise<boolean>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(() => {
          this.finishWaiters = this.finishWaiters.filter((w) => w !== done);
          resolve(true);
        }, fallbackMs);
        this.finishWaiters.push(done);
      });
    }
  }

  private lastOutageLog = 0;

  /** Logs a Redis connection error at most once every 10 s (an outage produces one per retry). */
  private outage(where: string, err: Error): void {
    if (Date.now() - this.lastOutageLog < 10_000) return;
    this.lastOutageLog = Date.now();
    this.log.error(`${where}: ${err.message} (Redis unavailable? retrying)`);
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

  /**
   * Number of jobs waiting or running now, on every queue (delayed jobs such as timers not counted),
   * less the reconciler runs this process's own workers are running: the drill waits for 0 before it
   * moves its simulated clock on. The reconciler is a wall-clock timer (every `RECONCILE_INTERVAL_S`),
   * not work a drill step caused: it runs between or during steps whenever its timer says, so waiting
   * for it bought no determinism, only up to one reconciler run per settle (issue 19's profile of the
   * drill: 9 runs of about 320 ms in a 35 s day). What it queues (a call not placed, a dispatch not
   * run) lands on the intake or dispatch queue and is waited for as before.
   */
  async busy(): Promise<number> {
    // One round trip's worth of latency: the queues are asked at once.
    const counts = await Promise.all([...this.queues.values()].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
    const n = counts.reduce((k, c) => k + c.waiting + c.active + c.prioritized, 0);
    return Math.max(0, n - this.reconciling);
  }

  /**
   * True once the process is shutting down (Nest's module-destroy phase, SIGTERM or `app.close()`): the
   * queues and their Redis connection are closing, so an error from them is the shutdown's, not an outage.
   */
  get closing(): boolean {
    return this.shuttingDown;
  }
  private shuttingDown = false;

  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => undefined);
  }
}

export { UnrecoverableError, QueueEvents };

/**
 * Rejects with `message` when `p` does not settle within `ms`. When the bound passes while this process's
 * event loop was busy (a long synchronous task, a garbage collection), the answer may already be waiting
 * in the loop's poll phase, which Node.js runs after timers: the timeout looks once more (`setImmediate`,
 * after that poll phase) before it rejects, so a dependency is never called slow for the caller's own stall.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  let settled = false;
  return Promise.race([
    p.finally(() => {
      settled = true;
      clearTimeout(timer);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          setImmediate(() => {
            if (!settled) reject(new Error(`${message} within ${ms} ms`));
          }),
        ms,
      );
    }),
  ]);
}
