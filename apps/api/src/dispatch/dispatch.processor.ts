import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { DispatchQueueJob, QueueName } from '../queues/queues.constants';
import { QueuesService } from '../queues/queues.service';
import { AgencyRequestsService } from './agency-requests.service';
import { DispatchRoundService } from './dispatch-round.service';
import { ResourceRequestsService } from './resource-requests.service';

/**
 * The dispatch queue's processor (concurrency 1 per worker). A dispatch job is a trigger: it runs its
 * incident's world's dispatch rounds (one round per world at a time across workers), and does nothing
 * for an incident decided at that revision already; one queued by a priority raise first sends an
 * incident already dispatched what the plan of its new priority adds. The command chain's messages ride the same queue:
 * replace a task taken back for want of acknowledgement, sweep agency requests left unanswered.
 */
@Injectable()
export class DispatchProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueuesService,
    private readonly rounds: DispatchRoundService,
    private readonly resources: ResourceRequestsService,
    private readonly requests: AgencyRequestsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS) return;
    this.queues.process<DispatchQueueJob>(QueueName.Dispatch, (job) => this.run(job), 1);
  }

  /** Runs one job of the dispatch queue (see the class). */
  async run(job: DispatchQueueJob) {
    if ('replaceAssignmentId' in job) return this.resources.replaceTask(job.replaceAssignmentId, 'timer', job.retry ?? false);
    if ('sweepUnansweredRequests' in job) {
      const unanswered = await this.requests.sweepUnanswered();
      for (const e of unanswered) await this.queues.addDispatch({ incidentId: e.incidentId, revision: e.revision, priority: e.priority });
      return { unansweredRequests: unanswered.length };
    }
    // A raised priority changes the plan (issue 20): an incident already dispatched gets what the new plan adds.
    const toppedUp = job.priorityRaised ? await this.resources.topUpAfterPriorityRaise(job.incidentId) : null;
    const triggered = await this.rounds.trigger(job.incidentId, job.revision);
    return toppedUp ? { ...triggered, toppedUp } : triggered;
  }
}
