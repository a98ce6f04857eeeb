import type { JobsOptions } from 'bullmq';

/** Every queue of the system. */
export enum QueueName {
  Intake = 'intake',
  Dispatch = 'dispatch',
  /** Acknowledgement and escalation deadlines (delayed jobs) and the reconciler (repeatable job). */
  Escalation = 'escalation',
}

/** Job payloads by queue. */
export interface IntakeJob {
  callId: string;
}
export interface DispatchJob {
  incidentId: string;
  revision: number;
  /**
   * The incident's priority (1 most urgent): the dispatch queue serves a lower number first (BullMQ
   * job priority), FIFO within one priority, so when units are short a P1 gets them before a P3.
   */
  priority: number;
  /**
   * Queued because the incident's priority was raised (a more urgent duplicate call linked to it): an
   * incident already dispatched gets what the plan of its new priority adds (issue 20), besides the
   * usual trigger (which serves an incident still waiting for units at the new revision).
   */
  priorityRaised?: boolean;
}

/**
 * Messages to the dispatch room on its own queue, from the command chain (which never calls dispatch):
 * a task taken back for want of acknowledgement asks for one unit to replace it; the reconciler's
 * sweep asks dispatch to sweep requests to other agencies' posts left unanswered.
 */
export interface ReplaceTaskJob {
  /** The task taken back (`assignment` id). */
  replaceAssignmentId: string;
  incidentId: string;
  /**
   * Asked again after a unit was freed (the first ask found none): sends a unit if one can go now, and
   * otherwise writes nothing (the first ask already told the consoles the slot is unfilled).
   */
  retry?: boolean;
}
export interface SweepRequestsJob {
  sweepUnansweredRequests: true;
}
/** What the dispatch queue carries: an incident to dispatch at a revision, or one of the messages above. */
export type DispatchQueueJob = DispatchJob | ReplaceTaskJob | SweepRequestsJob;

/** A deadline to fire (`deadline` row id), or the reconciler's periodic sweep. */
export type EscalationJob = { deadlineId: string } | { reconcile: true };

/** Default options: transient failures retry with exponential backoff; finished jobs are trimmed. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/** Job ids come from business keys (and a revision), never random, so repeats are harmless. */
export const jobIds = {
  intake: (callId: string) => `intake-${callId}`,
  dispatch: (incidentId: string, revision: number) => `dispatch-${incidentId}-r${revision}`,
  deadline: (deadlineId: string) => `deadline-${deadlineId}`,
  /** A deadline held for an outage, tried again at `untilMs` (epoch ms): one job per try. */
  heldDeadline: (deadlineId: string, untilMs: number) => `deadline-${deadlineId}-held-${untilMs}`,
  reconciler: 'reconciler',
  /** One replacement per task taken back (a deadline fires once). */
  replaceTask: (assignmentId: string) => `replace-${assignmentId}`,
  /** One sweep of unanswered agency requests per reconciler run (`reconcileJobId`: the run's job id). */
  sweepRequests: (reconcileJobId: string) => `sweep-requests-${reconcileJobId}`,
};
