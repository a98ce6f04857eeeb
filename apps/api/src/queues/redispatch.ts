import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { transactionRetried } from '../common/transaction-retried';
import { QueuesService } from './queues.service';
import { MAX_REPLACEMENTS } from '@cad/domain';

/**
 * Queues a fresh dispatch (next revision) for every incident still waiting for units (`received`
 * with a `last_error`), or only those of `only`, or only those of one `world` (`live` or a drill run
 * id: a unit freed in a drill serves only that drill's incidents), except incidents held for a dispatcher
 * (`auto_dispatch` false: too many crews in a row did not acknowledge). Jobs carry the incident's
 * priority, so the queue serves the most urgent first.
 * @returns how many incidents were queued
 */
export async function redispatchWaiting(ds: DataSource, queues: QueuesService, only?: readonly string[], world?: string): Promise<number> {
  if (only && only.length === 0) return 0;
  // TypeORM answers a raw UPDATE ... RETURNING with [rows, affectedCount].
  const [rows]: [{ id: string; revision: number; priority: number }[], number] = await bumpRevisionsInIdOrder(
    ds,
    `status = 'received' AND last_error IS NOT NULL AND auto_dispatch AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
        AND ($2::text IS NULL OR COALESCE(drill_id, 'live') = $2::text)`,
    [only ? [...only] : null, world ?? null],
  );
  for (const r of rows) await queues.addDispatch({ incidentId: r.id, revision: r.revision, priority: r.priority });
  return rows.length;
}

/**
 * `UPDATE incident SET revision = revision + 1` over the incidents matching `where`, their rows locked
 * in id order first (`SELECT ... ORDER BY id FOR UPDATE`), as every transaction that locks several
 * incidents does (a dispatch round's held decisions, `DispatchService.commitHeldDecisions`): an UPDATE
 * alone locks in the table's order and could deadlock with them. Run through `transactionRetried`, so a
 * deadlock or serialization failure that still happens runs it again.
 * @param where SQL condition on `incident` (its parameters `params`)
 * @returns TypeORM's answer to an UPDATE ... RETURNING: `[rows, affectedCount]`, rows `{ id, revision, priority }`
 * @throws the database's error (a retryable one after the third try)
 */
export function bumpRevisionsInIdOrder(ds: DataSource, where: string, params: unknown[]): Promise<[{ id: string; revision: number; priority: number }[], number]> {
  return transactionRetried(ds, (m) =>
    m.query(
      `WITH locked AS (SELECT id FROM incident WHERE ${where} ORDER BY id FOR UPDATE)
       UPDATE incident i SET revision = i.revision + 1, updated_at = now() FROM locked WHERE i.id = locked.id
       RETURNING i.id, i.revision::float8 AS revision, i.priority`, // bigint revision read as a number: exact below 2^53
      params,
    ),
  );
}

/**
 * Asks dispatch again to replace every task taken back for want of acknowledgement that nothing replaced
 * (none was free when it was taken back) on an incident still running on its other units with automatic
 * dispatch, of one `world` or all: called when a unit is freed. Only tasks whose replacement was asked
 * (at most `MAX_REPLACEMENTS` + 1 silent crews for the slot, as when it was taken back). Each becomes a
 * `ReplaceTask` job with `retry`, which sends a unit only while the plan still misses it and writes
 * nothing when none can go yet (`ResourceRequestsService.replaceTask`).
 * @returns how many tasks were queued
 */
export async function requeueUnreplaced(ds: DataSource, queues: QueuesService, world?: string): Promise<number> {
  // Only live tasks have acknowledgement deadlines (a drill's crews and exercise calls are never taken back).
  if (world !== undefined && world !== 'live') return 0;
  const rows: { id: string; incident_id: string }[] = await ds.query(
    `SELECT a.id, a.incident_id FROM assignment a JOIN incident i ON i.id = a.incident_id
      WHERE a.status = 'cleared' AND a.released_reason = 'not_acknowledged'
        AND i.status IN ('dispatched', 'en_route', 'on_scene') AND i.auto_dispatch
        AND a.world = 'live'
        AND NOT EXISTS (SELECT 1 FROM assignment r WHERE r.replaces_id = a.id)
        AND (SELECT count(*) FROM assignment s WHERE s.incident_id = a.incident_id AND s.capability = a.capability AND s.released_reason = 'not_acknowledged') <= $1
      ORDER BY i.priority, a.cleared_at, a.id`,
    [MAX_REPLACEMENTS],
  );
  for (const r of rows) await queues.addReplaceTask({ replaceAssignmentId: r.id, incidentId: r.incident_id, retry: true });
  return rows.length;
}

/** {@link redispatchWaiting} as a provider, for callers that hold no queue of their own (a road closure lifted). */
@Injectable()
export class RedispatchService {
  constructor(
    private readonly ds: DataSource,
    private readonly queues: QueuesService,
  ) {}

  /** Queues a fresh dispatch for every incident still waiting for units, of one world or all (see {@link redispatchWaiting}). */
  waiting(world?: string): Promise<number> {
    return redispatchWaiting(this.ds, this.queues, undefined, world);
  }

  /** Asks again for the replacements nobody could be sent for, of one world or all (see {@link requeueUnreplaced}). */
  unreplaced(world?: string): Promise<number> {
    return requeueUnreplaced(this.ds, this.queues, world);
  }
}
