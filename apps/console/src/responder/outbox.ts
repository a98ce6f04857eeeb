/**
 * Offline outbox of the responder page: status changes are stored in localStorage with the time they
 * were made, and sent one by one, in order, whenever the network answers. A change the server refuses
 * (4xx) is dropped with its message; a network failure or 5xx stops the flush and keeps the rest.
 */
import { ApiError } from '../api';
import { label } from '../format';
import { locale, t } from '../i18n';

/** One status change as the responder made it. `at` is ISO-8601 UTC, the tap time. */
export interface OutboxItem {
  id: string;
  assignmentId: string;
  status: string;
  at: string;
  /** Why the crew clears the task before on scene (a cancel), one of the domain's `TASK_CANCEL_REASONS`. */
  cancelReason?: string;
}

/** What happened to one item when it was sent. */
export type SendResult =
  | {
      item: OutboxItem;
      outcome: 'sent';
      applied: boolean;
      /** The task's status the server answered as recorded (`{assignment: {status}}`), when it said. */
      recorded?: string;
      /** When the acknowledgement timer had taken the task back before this report arrived (the dispatcher was alerted), ISO-8601 UTC. */
      takenBackAt?: string;
    }
  | { item: OutboxItem; outcome: 'refused'; message: string };

/**
 * The newest of several statuses of one task along its flow (`flow`, e.g. dispatched → acknowledged →
 * en route → … → cleared): a task only moves forward, so the page never shows a status older than one
 * already recorded or queued. Undefined and unknown statuses rank lowest.
 * @returns the newest, or undefined when none is given
 */
export function newestStatus(flow: readonly string[], ...statuses: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const s of statuses) if (s !== undefined && (best === undefined || flow.indexOf(s) > flow.indexOf(best))) best = s;
  return best;
}

/** A persistent FIFO of status changes under one localStorage key. */
export class Outbox {
  private flushing: Promise<SendResult[]> | null = null;

  constructor(
    private readonly key: string,
    private readonly send: (item: OutboxItem) => Promise<unknown>,
  ) {}

  /** Items not yet accepted by the server, oldest first. */
  items(): OutboxItem[] {
    try {
      const raw = localStorage.getItem(this.key);
      const list = raw ? (JSON.parse(raw) as OutboxItem[]) : [];
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  private save(list: OutboxItem[]): void {
    localStorage.setItem(this.key, JSON.stringify(list));
  }

  /** Appends a change made now (or at `at`); a cancel carries its reason. */
  add(assignmentId: string, status: string, at = new Date().toISOString(), cancelReason?: string): OutboxItem {
    const item: OutboxItem = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, assignmentId, status, at, ...(cancelReason ? { cancelReason } : {}) };
    this.save([...this.items(), item]);
    return item;
  }

  /**
   * Sends the items in order until one fails on the network. Concurrent calls share one flush.
   * @returns what happened to each item handled in this flush
   */
  flush(): Promise<SendResult[]> {
    this.flushing ??= this.run().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async run(): Promise<SendResult[]> {
    const results: SendResult[] = [];
    for (;;) {
      const [item] = this.items();
      if (!item) return results;
      try {
        const body = (await this.send(item)) as { applied?: boolean; assignment?: { status?: unknown }; lateAck?: { takenBackAt?: unknown } } | null;
        const recorded = typeof body?.assignment?.status === 'string' ? body.assignment.status : undefined;
        const takenBackAt = typeof body?.lateAck?.takenBackAt === 'string' ? body.lateAck.takenBackAt : undefined;
        results.push({ item, outcome: 'sent', applied: body?.applied !== false, ...(recorded ? { recorded } : {}), ...(takenBackAt ? { takenBackAt } : {}) });
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && !err.missingRoute) {
          results.push({ item, outcome: 'refused', message: err.message });
        } else {
          return results; // offline or server trouble: keep it and everything after it
        }
      }
      this.save(this.items().filter((x) => x.id !== item.id));
    }
  }
}


/**
 * What the responder page says when the server recorded a status report without applying it (a newer
 * status already stood), once the page shows the task as the server has it: `inForce` is that task's
 * id and status, or null when the unit has no current task any more.
 */
export function notAppliedText(item: Pick<OutboxItem, 'assignmentId' | 'status'>, inForce: { assignmentId: string; status: string } | null): string {
  const text = label(item.status === 'cleared' ? 'available' : item.status);
  const reported = text.charAt(0).toLocaleUpperCase(locale()) + text.slice(1); // it opens the sentence
  if (!inForce || inForce.assignmentId !== item.assignmentId) return t('responder.notAppliedEnded', { reported });
  return t('responder.notAppliedAlready', { reported, current: label(inForce.status) });
}

/**
 * What the responder page says when its reports (sent late from the outbox) arrived after the
 * acknowledgement timer took the task back: they were recorded, not applied, and the dispatcher was
 * alerted and will say whether the crew carries on or stands down (a message on this page).
 * @param reported the newest status the crew reported; `takenBackAt` ISO-8601 UTC
 */
export function lateAckText(reported: string, takenBackAt: string, time: (ms: number) => string): string {
  return t('responder.lateAck', { reported: label(reported), takenBack: time(Date.parse(takenBackAt)) });
}
