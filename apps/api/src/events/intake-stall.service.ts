import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { SEQUENCER_LOCK_KEY } from './event-sequencer';

/**
 * A stage of the intake pipeline that can stall: `intake` (a stored call not placed: the intake worker
 * is down or stuck), `dispatch` (a placed incident that no dispatch round has decided: the dispatch
 * worker is down) and `event-log` (a committed event without a position: no sequencer runs, so no
 * console hears anything).
 */
export type StallStage = 'intake' | 'dispatch' | 'event-log';

/** How long the oldest waiting item of each stage has waited, seconds (0: none waits). */
export type StageAges = Record<StallStage, number>;

/** A stage whose oldest waiting item is past the limit. */
export interface IntakeStall {
  stage: StallStage;
  /** Age of its oldest waiting item, seconds. */
  oldestSeconds: number;
  /** How many items wait (calls, incidents or events). */
  waiting: number;
  /** For `event-log`: the Postgres session holding the sequencer's lock, if one does (null: no sequencer runs). */
  holder?: LockHolder | null;
}

/** A Postgres session holding a lock, from `pg_stat_activity`. */
export interface LockHolder {
  pid: number;
  applicationName: string;
  clientAddr: string | null;
  /** `active`, `idle in transaction`, ... */
  state: string | null;
  /** Age of its open transaction, seconds (null when none). */
  transactionSeconds: number | null;
}

/**
 * Detects a stalled intake pipeline for readiness (and the consoles' banner). A stage stalls when its
 * oldest waiting item is older than `INTAKE_STALL_S` (default 60 s); a quiet system has nothing
 * waiting, so it never alarms. Live work only: a drill's calls run on the drill's clock.
 */
@Injectable()
export class IntakeStallService {
  constructor(
    private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The stall limit, seconds. */
  get limitSeconds(): number {
    return this.config.INTAKE_STALL_S;
  }

  /**
   * Oldest waiting item per stage: a live call stored with no incident (by its insert time); a live
   * incident still `received` with automatic dispatch on, no recorded dispatch failure, no task and no
   * deadline ever (no dispatch round decided it; by its creation); a committed event without a log
   * position (by its insert time).
   * @returns ages in seconds and counts per stage
   * @throws the Postgres error when the database is unreachable
   */
  async measure(): Promise<{ ages: StageAges; waiting: Record<StallStage, number> }> {
    const [r]: { calls: number; call_s: number | null; incidents: number; incident_s: number | null; events: number; event_s: number | null }[] = await this.ds.query(
      `SELECT c.n AS calls, c.s AS call_s, i.n AS incidents, i.s AS incident_s, e.n AS events, e.s AS event_s
         FROM (SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - MIN(created_at))::float8 AS s
                 FROM call WHERE incident_id IS NULL AND NOT exercise) c,
              (SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - MIN(created_at))::float8 AS s
                 FROM incident i
                WHERE status = 'received' AND last_error IS NULL AND auto_dispatch AND NOT exercise
                  AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.incident_id = i.id)
                  AND NOT EXISTS (SELECT 1 FROM deadline d WHERE d.incident_id = i.id)) i,
              (SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - MIN(recorded_at))::float8 AS s
                 FROM incident_event WHERE seq IS NULL) e`,
    );
    const age = (s: number | null) => Math.max(0, s ?? 0);
    return {
      ages: { intake: age(r.call_s), dispatch: age(r.incident_s), 'event-log': age(r.event_s) },
      waiting: { intake: r.calls, dispatch: r.incidents, 'event-log': r.events },
    };
  }

  /**
   * The stages stalled now, oldest first (empty when the pipeline flows).
   * @throws the Postgres error when the database is unreachable
   */
  async stalls(): Promise<IntakeStall[]> {
    const { ages, waiting } = await this.measure();
    const stalls: IntakeStall[] = (Object.keys(ages) as StallStage[])
      .filter((stage) => ages[stage] > this.limitSeconds)
      .map((stage) => ({ stage, oldestSeconds: Math.round(ages[stage]), waiting: waiting[stage] }))
      .sort((a, b) => b.oldestSeconds - a.oldestSeconds);
    const log = stalls.find((x) => x.stage === 'event-log');
    if (log) log.holder = await this.sequencerLockHolder();
    return stalls;
  }

  /**
   * The session holding the sequencer's advisory lock in this database, or null. A bigint advisory key
   * shows in `pg_locks` as `classid` (high 32 bits), `objid` (low 32 bits) and `objsubid` 1
   * (PostgreSQL manual, "pg_locks").
   */
  private async sequencerLockHolder(): Promise<LockHolder | null> {
    const key = BigInt(SEQUENCER_LOCK_KEY);
    const [r]: { pid: number; application_name: string; client_addr: string | null; state: string | null; s: number | null }[] = await this.ds.query(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.state, EXTRACT(EPOCH FROM now() - a.xact_start)::float8 AS s
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = $1::oid AND l.objid = $2::oid
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        LIMIT 1`,
      [String(key >> 32n), String(key & 0xffffffffn)],
    );
    if (!r) return null;
    return { pid: r.pid, applicationName: r.application_name, clientAddr: r.client_addr, state: r.state, transactionSeconds: r.s === null ? null : Math.round(r.s) };
  }
}
