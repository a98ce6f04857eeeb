import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { NotFound } from '../common/errors';
import { DispatchJob, IntakeJob, QueueName } from '../queues/queues.constants';
import { QueuesService, UnrecoverableError } from '../queues/queues.service';
import { DispatchService } from './dispatch.service';
import { IncidentsService } from './incidents.service';

/** Thin BullMQ processors: read the job, call a service, queue what follows. */
@Injectable()
export class ProcessorsService implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueuesService,
    private readonly incidents: IncidentsService,
    private readonly dispatch: DispatchService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS) return;
    this.queues.process<IntakeJob>(QueueName.Intake, (job) => this.intake(job));
    this.queues.process<DispatchJob>(QueueName.Dispatch, (job) => this.runDispatch(job), 1);
  }

  /** Intake: call -> incident; then dispatch at the incident's revision. */
  async intake(job: IntakeJob) {
    try {
      const r = await this.incidents.intake(job.callId);
      // Always (re)queue: the job id dedupes, and a retry after a crash between commit and add still dispatches.
      await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.revision });
      return r;
    } catch (e) {
      if (e instanceof NotFound) throw new UnrecoverableError(e.message);
      throw e;
    }
  }

  /** Dispatch one incident (concurrency 1 per worker, so one worker never races itself for a unit). */
  async runDispatch(job: DispatchJob) {
    return this.dispatch.dispatch(job.incidentId, job.revision);
  }
}
