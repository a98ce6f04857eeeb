import { CadEvent, EventType } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { IncidentEvent } from '@cad/db';

/**
 * Postgres notification channel: the `incident_event_notify` trigger (migration 1765296000000) notifies
 * it for every insert; Postgres delivers it when the transaction commits and folds repeats. The relay listens.
 */
export const EVENT_CHANNEL = 'cad_event';

/** An event to append. `at` is the event's own time (simulated time in a drill). */
export interface NewEvent {
  type: EventType;
  incidentId?: string | null;
  unitId?: string | null;
  /** `live` (default) or a drill run id; an event of a drill's incident takes the drill's world anyway (trigger `incident_event_world`). */
  world?: string;
  jurisdictionIds: string[];
  at: Date;
  actor: string;
  payload: unknown;
}

/** Appends to and reads the global event log. */
@Injectable()
export class EventsService {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends an event inside the caller's transaction, so it commits (or not) with the change. A
   * trigger on `incident_event` notifies {@link EVENT_CHANNEL}, delivered on commit.
   */
  async append(m: EntityManager, e: NewEvent): Promise<void> {
    await m.insert(IncidentEvent, {
      type: e.type,
      incidentId: e.incidentId ?? null,
      unitId: e.unitId ?? null,
      world: e.world ?? 'live',
      jurisdictionIds: e.jurisdictionIds,
      at: e.at,
      actor: e.actor,
      payload: e.payload as object,
    });
  }

  /** Events with `seq > after`, in order, at most `limit`. */
  async after(after: number, limit = 1000): Promise<(CadEvent & { jurisdictionIds: string[]; recordedAt: Date })[]> {
    const rows = await this.ds.getRepository(IncidentEvent).find({
      where: { seq: MoreThan(String(after)) },
      order: { seq: 'ASC' },
      take: limit,
    });
    return rows.map((r) => ({
      seq: Number(r.seq),
      type: r.type as EventType,
      at: r.at.toISOString(),
      incidentId: r.incidentId,
      unitId: r.unitId,
      world: r.world,
      payload: r.payload,
      jurisdictionIds: r.jurisdictionIds,
      recordedAt: r.recordedAt,
    }));
  }

  /** Sequence numbers (and commit times) after `after`, in order: the relay's cursor without payloads. */
  async seqsAfter(after: number, limit = 5000): Promise<{ seq: number; recordedAt: Date }[]> {
    const rows: { seq: string; recorded_at: Date }[] = await this.ds.query(
      'SELECT seq, recorded_at FROM incident_event WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), recordedAt: r.recorded_at }));
  }

  /** Every event of one incident, in sequence order (its timeline). */
  async ofIncident(incidentId: string): Promise<CadEvent[]> {
    const rows = await this.ds.getRepository(IncidentEvent).find({ where: { incidentId }, order: { seq: 'ASC' }, take: 5000 });
    return rows.map((r) => ({ seq: Number(r.seq), type: r.type as EventType, at: r.at.toISOString(), incidentId: r.incidentId, unitId: r.unitId, world: r.world, payload: r.payload }));
  }

  /** Highest committed sequence number (0 when the log is empty). */
  async lastSeq(): Promise<number> {
    const r = await this.ds.query('SELECT COALESCE(MAX(seq), 0)::bigint AS s FROM incident_event');
    return Number(r[0].s);
  }
}
