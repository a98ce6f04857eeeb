import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';

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
    return (Object.keys(ages) as StallStage[])
      .filter((stage) => ages[stage] > this.limitSeconds)
      .map((stage) => ({ stage, oldestSeconds: Math.round(ages[stage]), waiting: waiting[stage] }))
      .sort((a, b) => b.oldestSeconds - a.oldestSeconds);
  }
}
