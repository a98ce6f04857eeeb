import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import type { ProcessRole } from '../platform/logging/logger';
import { PROCESS_ROLE } from '../platform/core/core.module';
import { withTimeout } from '../queues/queues.service';

/** One outage as `GET /api/outages` lists it. */
export interface OutageView {
  id: string;
  /** The last API heartbeat before the gap (ISO-8601, UTC). */
  startedAt: string;
  /** The first API heartbeat after it; null while the API is still down. */
  endedAt: string | null;
  /** Length of the outage so far, seconds. */
  seconds: number;
  detectedAt: string;
  detectedBy: string;
  /**
   * Every API process up when the gap began had been stopped on purpose (an orderly shutdown), none
   * died or hung: a planned stop. Crews and consoles could not reach CAD all the same, and
   * acknowledgement deadlines are held alike.
   */
  planned: boolean;
}

/** A lock key for `pg_advisory_xact_lock`: one process at a time decides whether a gap is an outage. */
export const OUTAGE_LOCK = 7_316_001;

/**
 * Knowing there was an outage. Every API and worker process writes a heartbeat row each
 * `OUTAGE_HEARTBEAT_S` seconds. An API process also refreshes its beat from its answers: an HTTP
 * request it answered (status below 500) moves its `beat_at` to now, at most once a heartbeat
 * interval ({@link answered}). So the rule "an outage is a gap in the API's beats longer than
 * `OUTAGE_GAP_S`" needs the API to have answered nothing in the gap: a busy process whose timer
 * beats come late (load average above 20, its beat queued behind requests) keeps beating through
 * its answers and records no false outage, while a process that answers nothing (down, frozen, or
 * Postgres unreachable, which fails the refresh too) shows the gap as before.
 * When no API process has beaten for longer than `OUTAGE_GAP_S`:
 * a worker that kept running opens an outage (end unknown), the first API beat after it closes it;
 * when everything was down, the first API process to start records it whole (last beat before the
 * gap → its first beat). Postgres being unreachable stops every beat, so it shows the same way.
 * Acknowledgement deadlines that fell due in an outage, or within `OUTAGE_GRACE_S` after it, wait
 * until `OUTAGE_GRACE_S` after its end ({@link ackHold}).
 * A process stopped on purpose (SIGTERM, `app.close()`) writes when it stopped (`heartbeat.stopped_at`)
 * as it shuts down ({@link beforeApplicationShutdown}); a gap after which every API process that could
 * have been up at its start had stopped that way is recorded as `planned` (an upgrade, a maintenance
 * window), one after a crash, a hang or a lost database as unplanned. Both are times CAD could not be
 * reached, and hold deadlines alike.
 */
@Injectable()
export class OutagesService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = new Logger('Outages');
  private timer: NodeJS.Timeout | null = null;
  private firstBeat: Promise<void> | null = null;
  /** A timer beat still running (waiting for a connection or the lock): the next tick skips instead of queueing another. */
  private beating = false;
  /** When an answer last refreshed the beat (ms since the epoch, this process's clock), and whether that write is still running. */
  private answeredBeatAt = 0;
  private answeredBeatRunning = false;
  private stopped = false;
  /** This process's id in the `heartbeat` table. */
  readonly processId: string;

  constructor(
    private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {
    this.processId = `${role}-${hostname()}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  onApplicationBootstrap(): void {
    if (this.role === 'drill') return;
    this.firstBeat = this.beat().catch((e: Error) => this.log.warn(`heartbeat not written: ${e.message}`));
    this.timer = setInterval(() => {
      if (this.beating) return;
      this.beating = true;
      this.beat()
        .catch((e: Error) => this.log.warn(`heartbeat not written: ${e.message}`))
        .finally(() => (this.beating = false));
    }, this.config.OUTAGE_HEARTBEAT_S * 1000);
    this.timer.unref();
  }

  /**
   * The process is being stopped on purpose (Nest calls this before any module closes, so the pool
   * is still open): no more timer beats; one last beat (which records a gap already longer than
   * `OUTAGE_GAP_S` as an unplanned outage); then this process's heartbeat records when it stopped
   * (`stopped_at`, and `beat_at` moved up to it), so the gap that follows reads as planned. Bounded
   * to 2 s: with PostgreSQL unreachable the stop goes on unrecorded (and the gap reads as unplanned,
   * which it then also was). Never throws.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.role === 'drill' || this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      await withTimeout(
        (async () => {
          if (this.firstBeat) await this.firstBeat;
          // A beat first: a gap already longer than OUTAGE_GAP_S (the database was lost and has just come
          // back, before the next timer beat) is recorded as the unplanned outage it was, before the stop
          // moves this process's beat up to now and would hide it.
          await this.beat();
          await this.ds.query(
            `UPDATE heartbeat SET stopped_at = clock_timestamp(), beat_at = greatest(beat_at, clock_timestamp()) WHERE process_id = $1`,
            [this.processId],
          );
        })(),
        2000,
        'the stop recorded',
      );
    } catch (e) {
      this.log.warn(`orderly stop not recorded: ${(e as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Notes that this process answered an HTTP request with `status` (called when the response is
   * finished). In an API process, an answer below 500 refreshes this process's heartbeat
   * (`beat_at = now()`, no lock, one row), at most once each `OUTAGE_HEARTBEAT_S` seconds and one
   * write at a time: the answering itself is the evidence the API was reachable, whatever became of
   * its timer. An answer only carries a beat on: when this process's beat is already older than
   * `OUTAGE_GAP_S` (it answered nothing for that long, e.g. its event loop froze) the answer leaves
   * it, and the timer's beat records the gap. A 5xx answer (Postgres or Redis down) is no evidence. Never throws (a failed
   * write is logged; the timer's beat and the next answer try again).
   * @param status the HTTP status code sent
   */
  answered(status: number): void {
    if (this.role !== 'api' || this.stopped || status >= 500 || this.answeredBeatRunning) return;
    const now = Date.now();
    if (now - this.answeredBeatAt < this.config.OUTAGE_HEARTBEAT_S * 1000) return;
    this.answeredBeatAt = now;
    this.answeredBeatRunning = true;
    this.ds
      .query(`UPDATE heartbeat SET beat_at = now() WHERE process_id = $1 AND beat_at < now() AND beat_at >= now() - make_interval(secs => $2)`, [
        this.processId,
        this.config.OUTAGE_GAP_S,
      ])
      .catch((e: Error) => this.log.warn(`heartbeat not refreshed by an answer: ${e.message}`))
      .finally(() => (this.answeredBeatRunning = false));
  }

  /**
   * Writes this process's heartbeat, and records an outage when the API processes' beats show a gap
   * longer than `OUTAGE_GAP_S`: an API process closes the open outage (or records the whole gap when
   * nobody saw it start); a worker opens one (end null) while the API is silent. One process decides
   * at a time (transaction-scoped advisory lock). Times are the clock when each statement runs, not
   * when the transaction began: a beat that waited for the lock or a connection neither measures the gap
   * from, nor writes back, the moment it started waiting.
   * @throws whatever Postgres throws when unreachable (the caller logs it; the next beat tries again)
   */
  async beat(): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [OUTAGE_LOCK]);
      const [{ last, gap }]: { last: Date | null; gap: number | null }[] = await m.query(
        `SELECT max(beat_at) AS last, extract(epoch FROM clock_timestamp() - max(beat_at))::float8 AS gap FROM heartbeat WHERE role = 'api'`,
      );
      const silent = last !== null && gap !== null && gap > this.config.OUTAGE_GAP_S;
      // Planned: every API process that could have been up when the gap began (it beat within two
      // heartbeats of the last beat) had been stopped on purpose.
      const planned = async (): Promise<boolean> => {
        const [{ planned }]: { planned: boolean }[] = await m.query(
          `SELECT coalesce(bool_and(stopped_at IS NOT NULL), false) AS planned FROM heartbeat
            WHERE role = 'api' AND beat_at >= $1::timestamptz - make_interval(secs => $2)`,
          [last, 2 * this.config.OUTAGE_HEARTBEAT_S],
        );
        return planned;
      };
      if (this.role === 'api') {
        const closed: unknown[] = await m.query(`UPDATE outage SET ended_at = clock_timestamp() WHERE ended_at IS NULL RETURNING id, planned`);
        const ended = (Array.isArray(closed[0]) ? closed[0] : closed) as { planned: boolean }[];
        let wasPlanned = ended[0]?.planned ?? false;
        if (silent && ended.length === 0) {
          wasPlanned = await planned();
          await m.query(`INSERT INTO outage (started_at, ended_at, detected_at, detected_by, planned) VALUES ($1, clock_timestamp(), clock_timestamp(), $2, $3)`, [
            last,
            this.processId,
            wasPlanned,
          ]);
        }
        if (silent || ended.length) {
          this.log.warn(wasPlanned ? `CAD was stopped on purpose since ${last?.toISOString()}: planned stop recorded` : `CAD was unreachable since ${last?.toISOString()}: outage recorded`);
        }
      } else if (silent) {
        const [{ open }]: { open: number }[] = await m.query(`SELECT count(*)::int AS open FROM outage WHERE ended_at IS NULL`);
        if (!open) {
          const wasPlanned = await planned();
          await m.query(`INSERT INTO outage (started_at, ended_at, detected_at, detected_by, planned) VALUES ($1, NULL, clock_timestamp(), $2, $3)`, [
            last,
            this.processId,
            wasPlanned,
          ]);
          this.log.warn(wasPlanned ? `the API was stopped on purpose at ${last?.toISOString()}: planned stop open` : `no API heartbeat since ${last?.toISOString()}: outage open`);
        }
      }
      await m.query(
        `INSERT INTO heartbeat (process_id, role, started_at, beat_at) VALUES ($1, $2, clock_timestamp(), clock_timestamp())
         ON CONFLICT (process_id) DO UPDATE SET beat_at = greatest(heartbeat.beat_at, clock_timestamp())`,
        [this.processId, this.role],
      );
    });
  }

  /**
   * Whether an acknowledgement deadline due at `dueAt` must wait before it fires, and until when:
   * - the API is silent now (no API beat for over two heartbeats): wait until the gap limit is
   *   reached, then one heartbeat at a time while the outage lasts;
   * - `dueAt` fell in an outage, or within `OUTAGE_GRACE_S` after its end: wait until `OUTAGE_GRACE_S`
   *   after the end (an open outage whose API beats again waits one heartbeat for the close).
   * Nothing is held when no API process ever beat (nothing to judge by).
   * @returns the time to check again, or null to fire now
   */
  async ackHold(dueAt: Date): Promise<Date | null> {
    if (this.firstBeat) await this.firstBeat;
    const hb = this.config.OUTAGE_HEARTBEAT_S;
    const grace = this.config.OUTAGE_GRACE_S;
    const [row]: { now: Date; last: Date | null; silence: number | null; open: number; until: Date | null }[] = await this.ds.query(
      `SELECT now() AS now,
              (SELECT max(beat_at) FROM heartbeat WHERE role = 'api') AS last,
              (SELECT extract(epoch FROM now() - max(beat_at))::float8 FROM heartbeat WHERE role = 'api') AS silence,
              (SELECT count(*)::int FROM outage WHERE started_at <= $1 AND ended_at IS NULL) AS open,
              (SELECT max(ended_at) + make_interval(secs => $2) FROM outage WHERE started_at <= $1 AND ended_at + make_interval(secs => $2) >= $1) AS until`,
      [dueAt, grace],
    );
    if (!row.last || row.silence === null) return null;
    const now = row.now.getTime();
    if (row.silence > 2 * hb + 1) {
      const gapReached = row.last.getTime() + this.config.OUTAGE_GAP_S * 1000;
      return new Date(Math.max(gapReached, now + hb * 1000));
    }
    if (row.open) return new Date(now + hb * 1000);
    if (row.until && row.until.getTime() > now) return row.until;
    return null;
  }

  /**
   * Whether `at` lies in an outage or within `OUTAGE_GRACE_S` after its end (a task whose deadline
   * fell then was taken back because of the outage).
   */
  async inOutage(at: Date): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM outage WHERE started_at <= $1 AND (ended_at IS NULL OR ended_at + make_interval(secs => $2) >= $1)`,
      [at, this.config.OUTAGE_GRACE_S],
    );
    return n > 0;
  }

  /** Recorded outages, newest first (at most `limit`). */
  async list(limit = 100): Promise<OutageView[]> {
    // The outage this process found at startup is recorded by its first beat: the list waits for it.
    if (this.firstBeat) await this.firstBeat;
    const rows: { id: string; started_at: Date; ended_at: Date | null; seconds: number; detected_at: Date; detected_by: string; planned: boolean }[] = await this.ds.query(
      `SELECT id::text AS id, started_at, ended_at, extract(epoch FROM coalesce(ended_at, now()) - started_at)::float8 AS seconds, detected_at, detected_by, planned
         FROM outage ORDER BY started_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
      seconds: Math.round(r.seconds * 10) / 10,
      detectedAt: r.detected_at.toISOString(),
      detectedBy: r.detected_by,
      planned: r.planned,
    }));
  }
}
