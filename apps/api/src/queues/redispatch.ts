import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueuesService } from './queues.service';

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
  const [rows]: [{ id: string; revision: number; priority: number }[], number] = await ds.query(
    `UPDATE incident SET revision = revision + 1, updated_at = now()
      WHERE status = 'received' AND last_error IS NOT NULL AND auto_dispatch AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
        AND ($2::text IS NULL OR COALESCE(drill_id, 'live') = $2::text)
      RETURNING id, revision::float8 AS revision, priority`, // bigint revision read as a number: exact below 2^53
    [only ? [...only] : null, world ?? null],
  );
  for (const r of rows) await queues.addDispatch({ incidentId: r.id, revision: r.revision, priority: r.priority });
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
}
