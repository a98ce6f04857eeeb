import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { faultPoint } from '../platform/fault-points';
import { NotFound } from '../common/errors';
import { DispatchJob, EscalationJob, IntakeJob, QueueName } from '../queues/queues.constants';
import { QueuesService, UnrecoverableError } from '../queues/queues.service';
import { OutagesService } from '../outages/outages.service';
import { AckHold, DeadlinesService, FiredDeadline } from './command-chain/deadlines.service';
import { ResourceRequestsService } from './dispatch/resource-requests.service';
import { AgencyRequestsService } from './agency-requests.service';
import { DispatchRoundService } from './dispatch/dispatch-round.service';
import { IncidentIntakeService, IntakeResult } from './incident-intake.service';
import { MicroBatcher } from '../intake/micro-batcher';

/**
 * Intake jobs one worker runs at once, which is also the most calls one intake transaction places
 * (issue 19: the jobs running together are placed together).
 */
export const INTAKE_BATCH_MAX = 50;

/** Thin BullMQ processors: read the job, call a service, queue what follows. */
@Injectable()
export class ProcessorsService implements OnApplicationBootstrap {
  private readonly log = new Logger('Processors');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueuesService,
    private readonly placer: IncidentIntakeService,
    private readonly resources: ResourceRequestsService,
    private readonly rounds: DispatchRoundService,
    private readonly deadlines: DeadlinesService,
    private readonly outages: OutagesService,
    private readonly requests: AgencyRequestsService,
  ) {}

  /**
   * Intake jobs running at the same time are placed together, one transaction per batch (at most two
   * batches at once per worker): see {@link IncidentIntakeService.intakeBatch}.
   */
  readonly intakeBatches = new MicroBatcher<string, IntakeResult>((ids) => this.placer.intakeBatch(ids), { maxBatch: INTAKE_BATCH_MAX, maxInFlight: 2 });

  /** Acknowledgement deadlines that fell due in an outage wait its grace (see `OutagesService.ackHold`). */
  private readonly hold: AckHold = (dueAt) => this.outages.ackHold(dueAt);

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    this.queues.process<IntakeJob>(QueueName.Intake, (job) => this.intake(job), INTAKE_BATCH_MAX);
    this.queues.process<DispatchJob>(QueueName.Dispatch, (job) => this.runDispatch(job), 1);
    this.queues.process<EscalationJob>(QueueName.Escalation, (job) => this.escalation(job), 2);
    // At start and after every Redis reconnect (a restarted Redis may have lost every timer).
    this.queues.onReady(() => {
      this.queues.scheduleReconciler(this.config.RECONCILE_INTERVAL_S).catch((e: Error) => this.log.warn(`reconciler not scheduled: ${e.message}`));
    });
    await this.queues.scheduleReconciler(this.config.RECONCILE_INTERVAL_S);
  }

  /**
   * Intake: call -> incident (or linked to an open one), placed in one transaction with the other
   * intake jobs running now; a new incident is dispatched at its revision. A call that fails fails
   * its own job alone (retried with backoff); a worker killed mid-batch commits nothing, and BullMQ
   * gives its stalled jobs to another worker.
   */
  async intake(job: IntakeJob) {
    try {
      const r = await this.intakeBatches.submit(job.callId);
      // Always (re)queue for an incident the call opened: the job id dedupes, and a retry after a
      // crash between commit and add still dispatches. A linked call dispatches nothing, unless it
      // raised the incident's priority: the incident runs its plan again at the new revision.
      if (!r.linked || r.priorityRaised) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.revision, priority: r.priority });
      return r;
    } catch (e) {
      if (e instanceof NotFound) throw new UnrecoverableError(e.message);
      throw e;
    }
  }

  /**
   * A dispatch job is a trigger: it runs its incident's world's dispatch rounds (concurrency 1 per
   * worker; one round per world at a time across workers), and does nothing for an incident decided
   * at that revision already.
   */
  async runDispatch(job: DispatchJob) {
    return this.rounds.trigger(job.incidentId, job.revision);
  }

  /**
   * A deadline's delayed job fires it (an escalation queues a dispatch at the new revision; an
   * acknowledgement deadline held for an outage is tried again when its hold ends); the reconciler's repeatable job fires deadlines whose job was lost, re-queues lost dispatches, and escalates incidents whose requests to other agencies went unanswered.
   */
  async escalation(job: EscalationJob) {
    if ('deadlineId' in job) {
      const r = await this.deadlines.fire(job.deadlineId, 'queue', this.hold);
      if (r.outcome === 'held' && r.heldUntil) await this.queues.addHeldDeadline(job.deadlineId, r.heldUntil);
      if (r.escalatedRevision) faultPoint('escalation.committed');
      await this.followUp(r);
      return r;
    }
    const r = await this.deadlines.reconcile(undefined, undefined, this.hold);
    for (const d of r.deadlines) await this.followUp(d);
    for (const i of r.redispatch) await this.queues.addDispatch({ incidentId: i.id, revision: i.revision, priority: i.priority });
    for (const callId of r.unplacedCalls) await this.queues.addIntake({ callId });
    // Requests other agencies' posts left unanswered past their due time escalate their incidents (issue 21).
    const unanswered = await this.requests.sweepUnanswered();
    for (const e of unanswered) await this.queues.addDispatch({ incidentId: e.incidentId, revision: e.revision, priority: e.priority });
    return { deadlines: r.deadlines.length, redispatched: r.redispatch.length, requeuedCalls: r.unplacedCalls.length, unansweredRequests: unanswered.length };
  }

  /**
   * What a fired deadline leaves to do after its commit: the job of the second acknowledgement
   * deadline an alert armed, a dispatch at the incident's new revision
   * when a pending deadline escalated it, or one unit to replace a task taken back for want of
   * acknowledgement (from the commanding tier, and up when it has none).
   */
  private async followUp(r: FiredDeadline): Promise<void> {
    if (!r.incidentId) return;
    if (r.armed) await this.deadlines.scheduleDeadlines([r.armed]);
    if (r.kind === 'pending' && r.escalatedRevision) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.escalatedRevision, priority: r.priority ?? 3 });
    if (r.replace) await this.resources.replaceTask(r.replace.assignmentId, 'timer');
  }
}
