import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuditView } from '@cad/domain';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from '@cad/db';
import { actorOf, Principal } from './principal';

/** One thing to put on the record. */
export interface AuditEntry {
  /** Who did it: the signed-in principal, or a name (the typed username of a failed sign-in, `system:start`). */
  actor: Principal | string;
  /** Dotted action name, e.g. `sign-in`, `sign-in.failed`, `user.update`, `plan.update`, `alert.approve`. */
  action: string;
  /** What it was done to, e.g. `user:d3`, `plan:Medical Incident`, `incident:<uuid>`. */
  subject?: string | null;
  /** Client address of the request (see {@link ClientAddress}); null for the system's own changes. */
  source?: string | null;
  /** State before the change (null for a creation or a plain event). Must not hold secrets. */
  before?: unknown;
  /** State after the change, or what happened (e.g. `{ reason }` of a refused sign-in). Must not hold secrets. */
  after?: unknown;
}

/** Filters of {@link AuditService.search}; every one optional. */
export interface AuditQuery {
  actor?: string;
  /** Exact action, or a prefix ending in `.` / `*` (`user.*` matches `user.create`, `user.update`...). */
  action?: string;
  subject?: string;
  /** Instants, inclusive from and exclusive to. */
  from?: Date;
  to?: Date;
  /** Page backwards: only entries with an id below this one. */
  beforeId?: string;
  /** Page size, 1..500 (default 100). */
  limit?: number;
}

/** The request's client address (Express `req.ip`: the socket peer, or the proxy's `X-Forwarded-For` when `trust proxy` is set). */
export const ClientAddress = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null => {
  const req = ctx.switchToHttp().getRequest<{ ip?: string }>();
  return req.ip ?? null;
});

/**
 * The audit trail: sign-ins (failed ones too), account and post changes, response-plan edits,
 * configuration changes, exports, alert approvals. Entries are only ever appended: the table's
 * trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Injectable()
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends one entry, stamped with the database's clock. Pass `manager` to write it in the same
   * transaction as the change it records (then it commits or rolls back with it).
   */
  async record(e: AuditEntry, manager: EntityManager = this.ds.manager): Promise<void> {
    await manager.getRepository(AuditEvent).insert({
      actor: (typeof e.actor === 'string' ? e.actor : actorOf(e.actor)).slice(0, 120),
      action: e.action.slice(0, 60),
      subject: e.subject?.slice(0, 200) ?? null,
      source: e.source?.slice(0, 64) ?? null,
      before: (e.before ?? null) as object | null,
      after: (e.after ?? null) as object | null,
    });
  }

  /**
   * Newest entries first matching every filter given.
   * @returns at most `limit` entries (default 100, at most 500)
   */
  async search(q: AuditQuery): Promise<AuditView[]> {
    const qb = this.ds.getRepository(AuditEvent).createQueryBuilder('a');
    if (q.actor) qb.andWhere('a.actor = :actor', { actor: q.actor });
    if (q.action) {
      const prefix = q.action.endsWith('*') ? q.action.slice(0, -1) : q.action.endsWith('.') ? q.action : null;
      if (prefix !== null) qb.andWhere("a.action LIKE :prefix ESCAPE '\\'", { prefix: prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%' });
      else qb.andWhere('a.action = :action', { action: q.action });
    }
    if (q.subject) qb.andWhere('a.subject = :subject', { subject: q.subject });
    if (q.from) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.at < :to', { to: q.to });
    if (q.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: q.beforeId });
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .limit(Math.min(Math.max(q.limit ?? 100, 1), 500))
      .getMany();
    return rows.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, subject: r.subject, source: r.source, before: r.before, after: r.after }));
  }
}
