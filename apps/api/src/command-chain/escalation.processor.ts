import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/config';
import { faultPoint } from '../platform/fault-points';
import { EscalationJob, QueueName } from '../queues/queues.constants';
import { QueuesService } from '../queues/queues.service';
import { RedispatchService } from '../queues/redispatch';
import { LIVE_WORLD } from '@cad/domain';
import { OutagesService } from '../outages/outages.service';
import { AckHold, DeadlinesService, FiredDeadline } from './deadlines.service';

/**
 * The escalation queue's processor: a deadline's delayed job fires it, the reconciler's repeatable job
 * fires deadlines whose job was lost. What follows goes out as jobs, after commit: a dispatch at an
 * escalated incident's new revision, and two messages to the dispatch room (which the command chain
 * never calls): replace a task taken back for want of acknowledgement, sweep unanswered agency requests.
 */
@Injectable()
export class EscalationProcessor implements OnApplicationBootstrap {
  private readonly log = new Logger('Processors');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly queues: QueuesService,
    private readonly redispatch: RedispatchService,
    private readonly deadlines: DeadlinesService,
    private readonly outages: OutagesService,
  ) {}

  /** Acknowledgement deadlines that fell due in an outage wait its grace (see `OutagesService.ackHold`). */
  private readonly hold: AckHold = (dueAt) => this.outages.ackHold(dueAt);

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    this.queues.process<EscalationJob>(QueueName.Escalation, (data, job) => this.escalation(data, job), 2);
    // At start and after every Redis reconnect (a restarted Redis may have lost every timer).
    // A ready seen before this listener was added was the start's; the next one is a reconnect.
    let reconnect = this.queues.redisReady;
    this.queues.onReady(() => {
      // After a reconnect, the timers that fell due while Redis was down fire at once, here: a sweep run
      // in this process instead of a queued one waiting for the queue's workers to fetch again after their
      // retry delay (the CI's Redis-restart spec saw that wait exceed 5 s on a loaded machine). The sweep is
      // the reconciler's own (idempotent: a deadline fires once, under its row lock).
      this.queues.scheduleReconciler(this.config.RECONCILE_INTERVAL_S, !reconnect).catch((e: Error) => this.log.warn(`reconciler not scheduled: ${e.message}`));
      if (reconnect) void this.escalation({ reconcile: true }, { id: `reconnect-${Date.now()}` }).catch((e: Error) => this.log.warn(`sweep after Redis reconnect failed: ${e.message}`));
      reconnect = true;
    });
    await this.queues.scheduleReconciler(this.config.RECONCILE_INTERVAL_S);
  }

  /**
   * A deadline's delayed job fires it (an escalation queues a dispatch at the new revision; an
   * acknowledgement deadline held for an outage is tried again when its hold ends); the reconciler's
   * job fires deadlines whose job was lost, re-queues lost dispatches and intakes, and asks dispatch to
   * escalate incidents whose requests to other agencies went unanswered.
   * @param job the BullMQ job (its id names the reconciler run's sweep of agency requests)
   */
  async escalation(data: EscalationJob, job?: Pick<Job, 'id'>) {
    if ('deadlineId' in data) {
      const r = await this.deadlines.fire(data.deadlineId, 'queue', this.hold);
      if (r.outcome === 'held' && r.heldUntil) await this.queues.addHeldDeadline(data.deadlineId, r.heldUntil);
      if (r.escalatedRevision) faultPoint('escalation.committed');
      await this.followUp(r);
      return r;
    }
    const r = await this.deadlines.reconcile(undefined, undefined, this.hold);
    for (const d of r.deadlines) await this.followUp(d);
    for (const i of r.redispatch) await this.queues.addDispatch({ incidentId: i.id, revision: i.revision, priority: i.priority });
    for (const callId of r.unplacedCalls) await this.queues.addIntake({ callId });
    // A slot whose silent crew nothing could replace is asked again (a unit may have been put back in service).
    await this.redispatch.unreplaced(LIVE_WORLD);
    // Requests other agencies' posts left unanswered past their due time escalate their incidents (issue 21): dispatch's to sweep.
    await this.queues.addSweepRequests(job?.id ?? `at-${Date.now()}`);
    return { deadlines: r.deadlines.length, redispatched: r.redispatch.length, requeuedCalls: r.unplacedCalls.length };
  }

  /**
   * What a fired deadline leaves to do after its commit: the job of the second acknowledgement
   * deadline an alert armed, a dispatch at the incident's new revision when a pending deadline
   * escalated it, or a message asking dispatch for one unit to replace a task taken back for want of
   * acknowledgement (from the commanding tier, and up when it has none).
   */
  private async followUp(r: FiredDeadline): Promise<void> {
    if (!r.incidentId) return;
    if (r.armed) await this.deadlines.scheduleDeadlines([r.armed]);
    if (r.kind === 'pending' && r.escalatedRevision) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.escalatedRevision, priority: r.priority ?? 3 });
    if (r.replace) await this.queues.addReplaceTask({ replaceAssignmentId: r.replace.assignmentId, incidentId: r.incidentId });
  }
}
