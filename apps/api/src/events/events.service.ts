import { CadEvent, EventType } from '@cad/domain';
import type { EventPayloads } from '@cad/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan, Not } from 'typeorm';
import { IncidentEvent } from '@cad/db';
import { BroadcasterResult } from 'typeorm/subscriber/BroadcasterResult';
import { EventSequencer } from './event-sequencer';

/**
 * Postgres notification channel: the `incident_event_notify` trigger (migration 1765296000000) notifies
 * it for every insert; Postgres delivers it when the transaction commits and folds repeats. The
 * sequencer's host listens, and positions the new events. Its payload (migration 1766680000001) is
 * `drill` when the transaction appended only drills' events, else `live`.
 */
export const EVENT_CHANNEL = 'cad_event';

/** An event to append. `at` is the event's own time (simulated time in a drill). */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  incidentId?: string | null;
  unitId?: string | null;
  /** `live` (default) or a drill run id; an event of a drill's incident takes the drill's world anyway (trigger `incident_event_world`). */
  world?: string;
  jurisdictionIds: string[];
  at: Date;
  actor: string;
  /** What this type of event carries (`EventPayloads` of the contract). */
  payload: EventPayloads[T];
}

/** Appends to and reads the global event log. */
@Injectable()
export class EventsService {
  /** Events appended inside a {@link batched} block, by the transaction's manager, not yet inserted. */
  private readonly buffers = new WeakMap<EntityManager, NewEvent[]>();

  constructor(
    private readonly ds: DataSource,
    private readonly sequencer: EventSequencer,
  ) {}

  /**
   * Appends an event inside the caller's transaction, so it commits (or not) with the change. Its
   * position (`seq`) is given after commit by the {@link EventSequencer}; a trigger on `incident_event`
   * notifies {@link EVENT_CHANNEL}, delivered on commit, which wakes it. Inside {@link batched} the
   * event waits for the block's one INSERT.
   */
  async append<T extends EventType>(m: EntityManager, e: NewEvent<T>): Promise<void> {
    await this.appendAll(m, [e as NewEvent]);
  }

  /**
   * Appends several events in one INSERT (one round trip), in the given order (their ids, and so
   * their positions, follow it), inside the caller's transaction: see {@link append}.
   */
  async appendAll(m: EntityManager, events: NewEvent[]): Promise<void> {
    if (!events.length) return;
    const buffer = this.buffers.get(m);
    if (buffer) buffer.push(...events);
    else await this.insert(m, events);
  }

  /**
   * Runs `work` inside the caller's transaction with every event it appends on `m` held back and
   * written in one multi-row INSERT when it returns, in the order appended (issue 19's profile: a
   * surge's intake batch or dispatch decision appended its events one round trip each). The events
   * still commit, or not, with the transaction: the INSERT runs before `work`'s result is answered,
   * and nothing is written when `work` throws. Code inside must not read `incident_event` expecting
   * its own events. Nested blocks on one manager share the outer block's INSERT.
   * @returns what `work` returns
   */
  async batched<R>(m: EntityManager, work: () => Promise<R>): Promise<R> {
    if (this.buffers.has(m)) return work();
    const buffer: NewEvent[] = [];
    this.buffers.set(m, buffer);
    let result: R;
    try {
      result = await work();
    } finally {
      this.buffers.delete(m);
    }
    await this.insert(m, buffer);
    return result;
  }

  /**
   * Appends `events` in one statement, in the order given (their insertion ids follow it). Plain SQL
   * rather than TypeORM's insert builder: issue 19's profile of the drill found the builder (its
   * parameter escaping and the RETURNING it adds for the generated columns) the most expensive writer
   * per call; the rows and the trigger `incident_event_world` are the same.
   */
  private async insert(m: EntityManager, events: NewEvent[]): Promise<void> {
    if (!events.length) return;
    const rows = events.map((e) => ({
      type: e.type,
      incident_id: e.incidentId ?? null,
      unit_id: e.unitId ?? null,
      world: e.world ?? 'live',
      jurisdiction_ids: e.jurisdictionIds,
      at: e.at,
      actor: e.actor,
      payload: e.payload,
    }));
    await m.query(INSERT_EVENTS, [JSON.stringify(rows)]);
    await notifyInserted(m, events);
  }

  /** Positioned events with `seq > after`, in order, at most `limit` (never a gap: see {@link EventSequencer}). */
  async after(after: number, limit = 1000): Promise<(CadEvent & { jurisdictionIds: string[] })[]> {
    const rows = await this.ds.getRepository(IncidentEvent).find({
      where: { seq: MoreThan(String(after)) },
      order: { seq: 'ASC' },
      take: limit,
    });
    return rows.map((r) => ({ ...toCadEvent(r), jurisdictionIds: r.jurisdictionIds }));
  }

  /**
   * Every event of one incident, in sequence order (its timeline). Events already committed are
   * positioned first, so a caller sees its own last change.
   */
  async ofIncident(incidentId: string): Promise<CadEvent[]> {
    await this.positionCommitted();
    const rows = await this.ds.getRepository(IncidentEvent).find({ where: { incidentId, seq: Not(IsNull()) }, order: { seq: 'ASC' }, take: 5000 });
    return rows.map(toCadEvent);
  }

  /** Highest position in the log (0 when the log is empty), after positioning what is already committed. */
  async lastSeq(): Promise<number> {
    await this.positionCommitted();
    return this.highestSeq();
  }

  /**
   * Runs the sequencer before a read. When it cannot run (its lock held past 5 s: the `event-log`
   * stall readiness reports) the read goes on with what is already positioned, which is still gap-free.
   */
  private async positionCommitted(): Promise<void> {
    await this.sequencer.sequence().catch(() => 0);
  }

  /** Highest position given so far (0 when none), without positioning anything. */
  async highestSeq(): Promise<number> {
    const r = await this.ds.query('SELECT COALESCE(MAX(seq), 0)::bigint AS s FROM incident_event');
    return Number(r[0].s);
  }
}

/** A positioned row as the event clients receive. `seq` is exact below 2^53 (a JavaScript number). */
function toCadEvent(r: IncidentEvent): CadEvent {
  return { seq: Number(r.seq), type: r.type as EventType, at: r.at.toISOString(), incidentId: r.incidentId, unitId: r.unitId, world: r.world, payload: r.payload };
}

/** SQL: appends the events of a JSON array (`$1`) in array order; `seq` stays null for the sequencer. */
const INSERT_EVENTS = `INSERT INTO incident_event (type, incident_id, unit_id, world, jurisdiction_ids, at, actor, payload)
  SELECT x.type, x.incident_id, x.unit_id, x.world, x.jurisdiction_ids, x.at, x.actor, x.payload
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (type varchar, incident_id uuid, unit_id varchar, world varchar, jurisdiction_ids text[], at timestamptz, actor varchar, payload jsonb))
         WITH ORDINALITY AS x(type, incident_id, unit_id, world, jurisdiction_ids, at, actor, payload, n)
   ORDER BY x.n`;

/**
 * Tells TypeORM's subscribers of `IncidentEvent` (the metrics' `EventCounter`, the move-up proposer's
 * dispatch watcher) about events inserted with plain SQL, as `m.insert` told them: `afterInsert` once per
 * event, in order, each with the inserted values by property name, on the transaction's query runner (or,
 * outside one, a query runner of its own, as the insert builder takes). No entity of ours has listeners and
 * no subscriber a `beforeInsert`, so only `afterInsert` is sent.
 */
async function notifyInserted(m: EntityManager, events: NewEvent[]): Promise<void> {
  if (!m.connection.subscribers.length) return;
  const meta = m.connection.getMetadata(IncidentEvent);
  const qr = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    const result = new BroadcasterResult();
    for (const e of events) {
      const entity = { type: e.type, incidentId: e.incidentId ?? null, unitId: e.unitId ?? null, world: e.world ?? 'live', jurisdictionIds: e.jurisdictionIds, at: e.at, actor: e.actor, payload: e.payload };
      qr.broadcaster.broadcastAfterInsertEvent(result, meta, entity);
    }
    await result.wait();
  } finally {
    if (qr !== m.queryRunner) await qr.release();
  }
}
