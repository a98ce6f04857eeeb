import { randomUUID } from 'node:crypto';

/**
 * One call for service to store, as the columns of the `call` table (already validated). `callNumber`
 * null means "take the next number from `call_number_seq`".
 */
export interface CallRow {
  callNumber: string | null;
  type: string;
  priority: number;
  lat: number;
  lon: number;
  address: string | null;
  notes: string | null;
  source: string;
  receivedAt: Date;
  exercise: boolean;
  drillId: string | null;
  accuracyM: number | null;
  roadway: string | null;
  headingDegrees: number | null;
  /** Taken while the CAD was unreachable and entered afterwards with its original time (`receivedAt`). */
  takenOffline?: boolean;
  /** A drill call's own first alarm, units per capability (see `CreateCallDto.firstAlarm`); null: its plan's. */
  firstAlarm?: Record<string, number> | null;
}

/** What became of one row: its new id, or `null` when its own `callNumber` was stored already (a repeat). */
export interface CallWritten {
  id: string | null;
}

/** The database side of the writer: one statement, answering the rows it returned. */
export type Query = (sql: string, params: unknown[]) => Promise<{ id: string }[]>;

/** The queue side of the writer: queues the intake of every stored call in one round trip. */
export type QueueIntakes = (callIds: string[]) => Promise<void>;

/** Options of {@link CallBatchWriter}. */
export interface CallBatchOptions {
  /** Most rows in one INSERT (15 parameters each, far below PostgreSQL's 65,535). Default 500. */
  maxRows?: number;
  /**
   * Batches written at the same time (each on its own pooled connection). Default 4: when one round trip
   * is slow (a loaded machine), the calls behind it start their own batch instead of waiting for it.
   */
  maxInFlight?: number;
  /** Generated call numbers tried per row before it is refused (a caller sent that number itself). */
  numberTries: number;
  /** Called when the intake jobs of a stored batch could not be queued (the reconciler queues them later). */
  onQueueFailure?: (callIds: string[], error: Error) => void;
}

/** A row that is waiting to be written, with the promise of its caller. */
interface Pending {
  row: CallRow;
  /** Client-side id: lets the RETURNING rows be matched to their VALUES without relying on their order. */
  id: string;
  tries: number;
  resolve: (r: CallWritten) => void;
  reject: (e: Error) => void;
}

/**
 * The idempotency key of a call number, as the unique index `call_number_per_world` compares it: its
 * world (`''` live, else the drill run's id) and the number ignoring case. A live call only ever meets
 * a live call's number, an exercise call only a call of its own drill run.
 * @param drillId the drill run of an exercise call, null for a live call
 * @param callNumber the number as sent (stored as sent)
 * @returns `<world>\u0000<NUMBER>`
 */
export function callNumberKey(drillId: string | null, callNumber: string): string {
  return `${drillId ?? ''}\u0000${callNumber.toUpperCase()}`;
}

/** Thrown for a row that found no free generated call number in `numberTries` tries. */
export class NoFreeCallNumber extends Error {}

/**
 * Moves `call_number_seq` to just before the first generated number (`C-` + at least six digits) at or
 * after its next value that no call of the given worlds (`$1`, text[]: `''` live, else drill run ids)
 * holds, compared as the unique index compares (ignoring case). The first free number is the start or
 * one past a taken number (a gaps-and-islands query: one scan of those worlds' `C-<digits>` numbers), so
 * a typed block of any size is jumped in one step. The sequence only moves forward from the value read
 * (`GREATEST`); a concurrent `nextval` between that read and the `setval` can hand out a number again,
 * which the unique index refuses and the row retries: numbers stay unique under any concurrency.
 * Returns one row (the sequence's value, as `id`).
 */
export const SKIP_TAKEN_NUMBERS = `
  WITH start AS (
    SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS n FROM call_number_seq
  ), taken AS (
    SELECT substring(call_number FROM 3)::bigint AS n FROM call
     WHERE call_number IS NOT NULL AND COALESCE(drill_id, '') = ANY($1::text[]) AND upper(call_number) ~ '^C-[0-9]{6,18}$'
  ), candidates AS (
    SELECT n FROM start
    UNION
    SELECT t.n + 1 FROM taken t, start s WHERE t.n >= s.n
  ), first_free AS (
    SELECT min(c.n) AS n FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM taken t WHERE t.n = c.n)
  )
  SELECT setval('call_number_seq', GREATEST(f.n - 1, (SELECT last_value FROM call_number_seq)))::text AS id
    FROM first_free f, start s
   WHERE f.n > s.n`;

/** The `call` columns one row of a batch writes, in order (one bind parameter each). */
export const CALL_COLUMNS = [
  'id',
  'call_number',
  'type',
  'priority',
  'lat',
  'lon',
  'address',
  'notes',
  'source',
  'received_at',
  'exercise',
  'drill_id',
  'accuracy_m',
  'roadway',
  'heading_degrees',
  'taken_offline',
  'first_alarm',
] as const;

/**
 * Writes calls for service in batches ("group commit"): every call that arrives while `maxInFlight`
 * batches are being written waits for the next one, so under load N concurrent calls cost one multi-row `INSERT ... ON
 * CONFLICT DO NOTHING RETURNING id` and one BullMQ `addBulk`, not N of each; alone, a call is written on
 * the next turn of the event loop (no added wait). A caller's promise settles only once its row is
 * committed (the INSERT runs outside any transaction, so it is durable when it answers) and its intake
 * job was offered to Redis: nothing answered as accepted can be lost (a job that Redis did not take is
 * queued later by the reconciler, which sweeps stored calls no intake placed).
 *
 * Rules kept from the one-call path:
 * - a call whose own `callNumber` is stored already in its world (live, or its drill run), ignoring
 *   case, is not stored again: it answers `{ id: null }` and the caller looks the first call up (a
 *   repeat of that number in the same batch is held back to the next batch, so it meets the first as a
 *   stored row);
 * - a call without a number takes `C-` + the next `call_number_seq` value, zero-padded to at least six
 *   digits and never truncated; when that number is taken (a caller sent it itself) the sequence is moved
 *   past the whole run of taken numbers in one step ({@link SKIP_TAKEN_NUMBERS}) and the row is tried
 *   again in the next batch, up to `numberTries` times (only races with other writers make a retry
 *   clash again), then rejected with {@link NoFreeCallNumber};
 * - a database error in a batch writes its rows again one by one, so a bad row is refused alone with its
 *   error and an outage refuses each caller with it (nothing refused is stored).
 */
export class CallBatchWriter {
  private queue: Pending[] = [];
  private writing = 0;
  private scheduled = false;
  private readonly maxRows: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly query: Query,
    private readonly queueIntakes: QueueIntakes,
    private readonly opts: CallBatchOptions,
  ) {
    this.maxRows = opts.maxRows ?? 500;
    this.maxInFlight = opts.maxInFlight ?? 4;
  }

  /**
   * Stores one call with whatever else arrives at the same time.
   * @returns `{ id }` of the stored call, or `{ id: null }` when its `callNumber` was stored already
   * @throws NoFreeCallNumber when no generated number was free in `numberTries` tries (nothing stored)
   * @throws the database error of its own row (nothing stored)
   */
  write(row: CallRow): Promise<CallWritten> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, id: randomUUID(), tries: 0, resolve, reject });
      this.schedule();
    });
  }

  /** Rows waiting for a batch (for metrics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.writing >= this.maxInFlight || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing >= this.maxInFlight || !this.queue.length) return;
    this.writing++;
    // One row per caller number per batch: a repeat waits for the next batch and meets the stored row.
    const batch: Pending[] = [];
    const held: Pending[] = [];
    const numbers = new Set<string>();
    for (const p of this.queue) {
      const n = p.row.callNumber === null ? null : callNumberKey(p.row.drillId, p.row.callNumber);
      if (batch.length >= this.maxRows || (n !== null && numbers.has(n))) held.push(p);
      else {
        if (n !== null) numbers.add(n);
        batch.push(p);
      }
    }
    this.queue = held;
    try {
      await this.writeBatch(batch);
    } finally {
      this.writing--;
      if (this.queue.length) this.schedule();
    }
  }

  /**
   * Moves `call_number_seq` past the run of taken numbers that starts at its next value, in one
   * statement ({@link SKIP_TAKEN_NUMBERS}), so a block of typed numbers of any size costs one retry, not
   * one per number. Best effort: when it fails (an outage, the sequence at its end) the retry simply
   * draws the next value, as before.
   * @param worlds the worlds (`''` live, else a drill run's id) whose generated numbers clashed
   */
  private async skipTakenNumbers(worlds: string[]): Promise<void> {
    try {
      await this.query(SKIP_TAKEN_NUMBERS, [worlds]);
    } catch {
      // The retry draws the next value; the unique index keeps every number unique either way.
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const params: unknown[] = [];
    const values = batch.map((p) => {
      const r = p.row;
      params.push(p.id, r.callNumber, r.type, r.priority, r.lat, r.lon, r.address, r.notes, r.source, r.receivedAt, r.exercise, r.drillId, r.accuracyM, r.roadway, r.headingDegrees, r.takenOffline ?? false, r.firstAlarm ? JSON.stringify(r.firstAlarm) : null);
      const b = params.length - CALL_COLUMNS.length;
      const ph = CALL_COLUMNS.map((_, k) => `$${b + k + 1}`);
      // A call taken without a number gets the next one from the sequence (bigint, never truncated).
      ph[1] = `COALESCE($${b + 2}, (SELECT 'C-' || lpad(n::text, GREATEST(6, length(n::text)), '0') FROM nextval('call_number_seq') AS n))`;
      return `(${ph.join(', ')})`;
    });
    let stored: Set<string>;
    try {
      const rows = await this.query(
        `INSERT INTO call (${CALL_COLUMNS.join(', ')}) VALUES ${values.join(', ')}
         ON CONFLICT ((COALESCE(drill_id, '')), (upper(call_number))) WHERE call_number IS NOT NULL DO NOTHING
         RETURNING id`,
        params,
      );
      stored = new Set(rows.map((r) => r.id));
    } catch (e) {
      // One bad row must not refuse the calls beside it: a failed batch is written again row by row,
      // so only the row (or the outage) that failed answers with the error.
      if (batch.length === 1) batch[0].reject(e as Error);
      else for (const p of batch) await this.writeBatch([p]);
      return;
    }
    const written = batch.filter((p) => stored.has(p.id));
    if (written.length) {
      try {
        await this.queueIntakes(written.map((p) => p.id));
      } catch (e) {
        // Stored is accepted: the reconciler queues any stored call that no intake placed.
        this.opts.onQueueFailure?.(
          written.map((p) => p.id),
          e as Error,
        );
      }
    }
    // Generated numbers that were taken (callers typed numbers of the generated form ahead of the
    // sequence): move the sequence past that block once, so the retry draws a free number.
    const clashed = batch.filter((p) => !stored.has(p.id) && p.row.callNumber === null);
    if (clashed.length) await this.skipTakenNumbers([...new Set(clashed.map((p) => p.row.drillId ?? ''))]);
    for (const p of batch) {
      if (stored.has(p.id)) p.resolve({ id: p.id });
      else if (p.row.callNumber !== null) p.resolve({ id: null });
      else if (++p.tries >= this.opts.numberTries) p.reject(new NoFreeCallNumber(`no free call number in ${this.opts.numberTries} tries`));
      else {
        // A generated number that was taken already: the next batch draws the next one.
        p.id = randomUUID();
        this.queue.push(p);
      }
    }
  }
}
