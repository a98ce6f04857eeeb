import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { withTimeout } from '../../queues/queues.service';
import { sharedInFlight } from '../../common/shared-in-flight';

/** The application pool's occupancy at a readiness check (pg-pool's own counters). */
export interface PoolOccupancy {
  /** Connections open. */
  total: number;
  /** Open and idle. */
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

/**
 * Readiness' view of PostgreSQL on a connection of its own, outside the application's pool (as the
 * Redis ping has its own connection): "is the database reachable" must not read as "no" because every
 * pooled connection is busy, as it is for a few seconds after an outage while every part of the API
 * reconnects and every console refetches at once. One connection per process, opened on first use, dropped
 * on any error or timeout (a hung query is never queued behind) and opened again at the next check. The
 * pool's own occupancy is reported beside it, so a starved pool still shows in readiness' details.
 */
@Injectable()
export class PostgresProbe implements OnModuleDestroy {
  private pending: Promise<Client> | null = null;

  constructor(private readonly ds: DataSource) {}

  /**
   * `SELECT 1` on the probe's own connection, connecting first when there is none. Concurrent checks share
   * one check in flight (a burst of readiness requests costs one round trip, and no check waits in a queue
   * behind the others on the one connection); a check that fails drops the connection once.
   * @param timeoutMs the whole check's bound, connecting included, ms (a check joining one in flight
   *   shares that check's bound)
   * @throws Error naming PostgreSQL when it refuses, fails or does not answer within `timeoutMs`
   */
  readonly ping: (timeoutMs: number) => Promise<void> = sharedInFlight((timeoutMs: number) => this.check(timeoutMs));

  private async check(timeoutMs: number): Promise<void> {
    const started = Date.now();
    const connecting = this.connection(timeoutMs);
    try {
      const client = await withTimeout(connecting, timeoutMs, 'PostgreSQL did not accept a connection');
      await withTimeout(client.query('SELECT 1'), Math.max(1, timeoutMs - (Date.now() - started)), 'PostgreSQL did not answer');
    } catch (e) {
      this.forget(connecting);
      throw e;
    }
  }

  /** The application pool's counters now, or null when the driver has no pool yet. */
  pool(): PoolOccupancy | null {
    const pool = (this.ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pending) this.forget(this.pending);
  }

  private connection(timeoutMs: number): Promise<Client> {
    if (!this.pending) {
      const client = new Client({ ...this.config(), connectionTimeoutMillis: timeoutMs, application_name: 'cad-readiness' });
      const connecting = client.connect().then(() => client);
      // A terminated backend (an outage) errors the idle client: forget it, the next check reconnects.
      client.on('error', () => this.forget(connecting));
      connecting.catch(() => this.forget(connecting));
      this.pending = connecting;
    }
    return this.pending;
  }

  /** Drops a connection (closing it once it is open); the next check opens another. */
  private forget(connecting: Promise<Client>): void {
    if (this.pending === connecting) this.pending = null;
    connecting.then((c) => c.end()).catch(() => undefined);
  }

  /** The pg connection settings of the application's data source (its URL or its fields). */
  private config(): ClientConfig {
    const o = this.ds.options as PostgresDataSourceOptions;
    if (o.url) return { connectionString: o.url };
    return { host: o.host, port: o.port, user: o.username, password: typeof o.password === 'string' ? o.password : undefined, database: o.database };
  }
}
