import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Postgres notification channel the sequencer notifies (on commit) after it gave events their
 * positions; its payload is the highest position given. Every realtime relay listens.
 */
export const SEQUENCED_CHANNEL = 'cad_event_seq';
/** Advisory lock key that makes the sequencer one at a time across every API and worker process. */
export const SEQUENCER_LOCK_KEY = 7_114_140_001;
/** Events positioned per sequencer transaction (a backlog takes several). */
const BATCH = 5000;

/**
 * The event log's single sequencer. Business transactions append events with `seq` null. A run takes
 * the advisory lock {@link SEQUENCER_LOCK_KEY} (so runs in any number of processes follow one another),
 * gives every committed, unpositioned event the next consecutive positions after the highest one, in
 * insertion order, notifies {@link SEQUENCED_CHANNEL} and commits. Postgres makes a transaction's rows
 * visible before it releases its locks, so each run sees every earlier run's positions: positions only
 * grow, and a reader that sees position n already sees every position below n. An event that commits
 * late (a transaction held open) simply gets a later position; nothing waits for it and nothing skips it.
 */
@Injectable()
export class EventSequencer {
  private current: Promise<number> | null = null;
  private next: Promise<number> | null = null;

  constructor(private readonly ds: DataSource) {}

  /**
   * Positions every event committed before this call (runs again after a run already under way,
   * whose snapshot may predate the caller's commit; callers arriving meanwhile share that run).
   * @returns how many events the run(s) positioned
   * @throws the Postgres error when the lock is not had within 5 s or the database is down
   */
  sequence(): Promise<number> {
    if (!this.current) {
      this.current = this.drain().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => 0)
      .then(() => {
        this.next = null;
        return this.sequence();
      });
    return this.next;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n < BATCH) return total;
    }
  }

  /**
   * One run: ONE round trip, one statement (issue 19's profiles of the drill: a run was four round trips,
   * then one multi-statement text that PostgreSQL parsed and planned on every run). The function
   * `cad_sequence_events` (migration 1766680000001) takes the advisory lock {@link SEQUENCER_LOCK_KEY}
   * (waiting at most 5 s: its `lock_timeout`), gives the unpositioned events the next positions in
   * insertion order and notifies {@link SEQUENCED_CHANNEL} with the highest; its statements are planned
   * once per connection. The statement is its own transaction: the lock is released at its commit, and an
   * error (the lock not had in time) rolls all of it back. At READ COMMITTED each statement inside takes
   * its own snapshot, so the update, run after the lock was had, sees the positions of the run that held
   * the lock before (the guarantee of {@link EventSequencer}). Without a bitmap scan (the function's
   * `enable_bitmapscan = off`): every positioned event leaves a dead `seq IS NULL` index entry behind
   * until a vacuum, which a bitmap scan would visit run after run, whereas the ordered scan of
   * `IDX_incident_event_unsequenced` marks them dead as it passes.
   */
  private async runOnce(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT cad_sequence_events(${BATCH}) AS n`);
    return n;
  }
}
