import type { Reading } from '@cad/domain';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';

/** Readings kept in memory while Postgres cannot take them; past this, each further one is counted and logged as unstored. */
export const TELEMETRY_BUFFER_MAX = 200_000;
/** Most readings in one INSERT (seven arrays of parameters, whatever the count). */
const BATCH_ROWS = 5_000;

/** A sensor's key in maps: `<network>/<sensor>/<quantity>`. */
export const sensorKey = (r: { network: string; sensor: string; quantity: string }) => `${r.network}/${r.sensor}/${r.quantity}`;

/**
 * The `sensor_reading` table: accepted readings written in batches (one `INSERT ... SELECT FROM unnest`
 * per flush, at most `TELEMETRY_FLUSH_MS` after the first reading waits), a repeat of a stored reading
 * (same sensor and measurement instant) skipped by the key, and readings older than
 * `TELEMETRY_RETENTION_DAYS` pruned. A failed write keeps the batch in memory and retries at the next
 * flush (up to {@link TELEMETRY_BUFFER_MAX} readings).
 */
@Injectable()
export class TelemetryStore implements OnApplicationShutdown {
  private readonly log = new Logger('Telemetry');
  private buffer: { r: Reading; receivedAt: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Rows written, repeats the key refused, and readings lost because the buffer was full. */
  readonly counts = { stored: 0, repeats: 0, unstored: 0 };

  constructor(
    private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Queues one accepted reading for the next batch.
   * @param receivedAt when it arrived, epoch seconds
   */
  add(r: Reading, receivedAt: number): void {
    if (this.buffer.length >= TELEMETRY_BUFFER_MAX) {
      this.counts.unstored++;
      this.log.error(`telemetry buffer full (${TELEMETRY_BUFFER_MAX}): reading ${sensorKey(r)} at ${r.t} not stored`);
      return;
    }
    this.buffer.push({ r, receivedAt });
    this.timer ??= setTimeout(() => void this.flush(), this.config.TELEMETRY_FLUSH_MS);
  }

  /** Writes every queued reading now; resolves when they (and any write already running) are in. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      for (let i = 0; i < batch.length; i += BATCH_ROWS) {
        const part = batch.slice(i, i + BATCH_ROWS);
        try {
          await this.write(part);
        } catch (e) {
          this.log.warn(`telemetry write failed (${(e as Error).message}): ${batch.length - i} readings kept for the next flush`);
          this.buffer = batch.slice(i).concat(this.buffer);
          this.timer ??= setTimeout(() => void this.flush(), Math.max(1000, this.config.TELEMETRY_FLUSH_MS));
          return;
        }
      }
    });
    return this.writing;
  }

  private async write(part: { r: Reading; receivedAt: number }[]): Promise<void> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO sensor_reading (network, sensor, quantity, t, value, seq, received_at)
       SELECT n, s, q, to_timestamp(t), v, seq, to_timestamp(rcv)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::bigint[], $7::float8[]) AS x(n, s, q, t, v, seq, rcv)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        part.map((p) => p.r.network),
        part.map((p) => p.r.sensor),
        part.map((p) => p.r.quantity),
        part.map((p) => p.r.t),
        part.map((p) => p.r.value),
        part.map((p) => p.r.seq),
        part.map((p) => p.receivedAt),
      ],
    );
    this.counts.stored += rows.length;
    this.counts.repeats += part.length - rows.length;
  }

  /**
   * The newest stored measurement instant of each sensor, so that a reading the broker delivers again
   * after this process restarted is still known as a repeat.
   * @param sensors the listed sensors
   * @returns epoch seconds by {@link sensorKey}, for the sensors with any stored reading
   */
  async newest(sensors: { network: string; sensor: string; quantity: string }[]): Promise<Map<string, number>> {
    if (!sensors.length) return new Map();
    const rows: { network: string; sensor: string; quantity: string; t: number }[] = await this.ds.query(
      `SELECT k.n AS network, k.s AS sensor, k.q AS quantity, extract(epoch FROM m.t)::float8 AS t
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(n, s, q)
       CROSS JOIN LATERAL (SELECT max(t) AS t FROM sensor_reading r WHERE r.network = k.n AND r.sensor = k.s AND r.quantity = k.q) m
       WHERE m.t IS NOT NULL`,
      [sensors.map((s) => s.network), sensors.map((s) => s.sensor), sensors.map((s) => s.quantity)],
    );
    return new Map(rows.map((r) => [sensorKey(r), Number(r.t)]));
  }

  /**
   * Deletes the readings measured more than `TELEMETRY_RETENTION_DAYS` before `nowS`.
   * @param nowS the present, epoch seconds
   * @returns how many were deleted
   */
  async prune(nowS = Date.now() / 1000): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(`WITH d AS (DELETE FROM sensor_reading WHERE t < to_timestamp($1) RETURNING 1) SELECT count(*)::int AS n FROM d`, [
      nowS - this.config.TELEMETRY_RETENTION_DAYS * 86400,
    ]);
    return n;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
