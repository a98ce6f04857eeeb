import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { NotFound } from '../common/errors';
import { IntakeJob, QueueName } from '../queues/queues.constants';
import { QueuesService, UnrecoverableError } from '../queues/queues.service';
import { IncidentIntakeService, IntakeResult } from './incident-intake.service';
import { MicroBatcher } from './micro-batcher';

/**
 * Intake jobs one worker runs at once, which is also the most calls one intake transaction places
 * (issue 19: the jobs running together are placed together).
 */
export const INTAKE_BATCH_MAX = 50;

/** The intake queue's processor (thin: read the job, place the call, queue its dispatch). */
@Injectable()
export class IntakeProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueuesService,
    private readonly placer: IncidentIntakeService,
  ) {}

  /**
   * Intake jobs running at the same time are placed together, one transaction per batch (at most two
   * batches at once per worker): see {@link IncidentIntakeService.intakeBatch}.
   */
  readonly intakeBatches = new MicroBatcher<string, IntakeResult>((ids) => this.placer.intakeBatch(ids), { maxBatch: INTAKE_BATCH_MAX, maxInFlight: 2 });

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS) return;
    this.queues.process<IntakeJob>(QueueName.Intake, (job) => this.intake(job), INTAKE_BATCH_MAX);
  }

  /**
   * Intake: call -> incident (or linked to an open one), placed in one transaction with the other
   * intake jobs running now; a new incident is dispatched at its revision. A call that fails fails
   * its own job alone (retried with backoff); a worker killed mid-batch commits nothing, and BullMQ
   * gives its stalled jobs to another worker.
   * @throws UnrecoverableError for a call that is not in the record
   */
  async intake(job: IntakeJob): Promise<IntakeResult> {
    try {
      const r = await this.intakeBatches.submit(job.callId);
      // Always (re)queue for an incident the call opened: the job id dedupes, and a retry after a
      // crash between commit and add still dispatches. A linked call dispatches nothing, unless it
      // raised the incident's priority: the incident runs its plan again at the new revision.
      if (!r.linked || r.priorityRaised) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.revision, priority: r.priority, ...(r.priorityRaised ? { priorityRaised: true } : {}) });
      return r;
    } catch (e) {
      if (e instanceof NotFound) throw new UnrecoverableError(e.message);
      throw e;
    }
  }
}
