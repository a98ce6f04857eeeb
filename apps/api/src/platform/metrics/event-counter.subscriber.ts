import { IncidentEvent } from '@cad/db';
import type { EntitySubscriberInterface, InsertEvent, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { MetricsService } from './metrics.service';

/** Label values kept as they are only when short snake_case words (bounded cardinality); others are `other`. */
const WORD = /^[a-z][a-z_]{0,39}$/;
const word = (v: unknown) => (typeof v === 'string' && WORD.test(v) ? v : 'other');

/**
 * How a unit was chosen, from an `assignment.created` event: `replacement` (of a silent unit),
 * `manual` (assigned by hand), `resource_request` (asked of the tier above), `allocator` (automatic or
 * an accepted recommendation), else `other`.
 */
export function decisionKind(payload: { reason?: unknown; assignment?: { replacesId?: unknown } }): string {
  const reason = typeof payload.reason === 'string' ? payload.reason : '';
  if (payload.assignment?.replacesId) return 'replacement';
  if (reason.startsWith('assigned by')) return 'manual';
  if (reason.startsWith('requested from')) return 'resource_request';
  if (reason.startsWith('min-cost assignment') || reason.length > 0) return 'allocator';
  return 'other';
}

/**
 * TypeORM subscriber that counts dispatch decisions and escalations when the transaction that appended
 * their events commits (a rolled-back transaction counts nothing). Reads the event rows as inserted, so
 * the services that write them need no change.
 */
export class EventCounter implements EntitySubscriberInterface<IncidentEvent> {
  private readonly pending = new WeakMap<QueryRunner, Partial<IncidentEvent>[]>();

  constructor(private readonly metrics: MetricsService) {}

  listenTo() {
    return IncidentEvent;
  }

  afterInsert(e: InsertEvent<IncidentEvent>): void {
    const row = e.entity as Partial<IncidentEvent>;
    if (row.type !== 'assignment.created' && row.type !== 'incident.escalated' && row.type !== 'incident.deescalated') return;
    if (!e.queryRunner.isTransactionActive) return this.count(row);
    const list = this.pending.get(e.queryRunner) ?? [];
    list.push(row);
    this.pending.set(e.queryRunner, list);
  }

  afterTransactionCommit(e: TransactionCommitEvent): void {
    if (e.queryRunner.isTransactionActive) return; // a savepoint released; the outer transaction decides
    for (const row of this.pending.get(e.queryRunner) ?? []) this.count(row);
    this.pending.delete(e.queryRunner);
  }

  afterTransactionRollback(e: TransactionRollbackEvent): void {
    if (!e.queryRunner.isTransactionActive) this.pending.delete(e.queryRunner);
  }

  private count(row: Partial<IncidentEvent>): void {
    const p = (row.payload ?? {}) as Record<string, unknown>;
    if (row.type === 'assignment.created') this.metrics.dispatchDecisions.inc({ kind: decisionKind(p), tier: word(p.tier) });
    else this.metrics.escalations.inc({ direction: row.type === 'incident.escalated' ? 'up' : 'down', reason: word(p.reason), to_tier: word(p.toTier) });
  }
}
