import { Client } from 'pg';

/** A database made unreachable and back, as during a PostgreSQL restart (see {@link databaseOutage}). */
export interface DatabaseOutage {
  /** Refuses new connections to the database and drops every open one (but this switch's own). */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  /** Restores the database (whatever state a failed test left) and closes the switch's connection. */
  close(): Promise<void>;
}

/**
 * A switch for one database of a test run, held on the server's `postgres` database: `cut` is
 * `ALTER DATABASE ... ALLOW_CONNECTIONS false` and `pg_terminate_backend` of its sessions, `restore`
 * the opposite.
 * @param databaseUrl the connection string of the database to cut off
 */
export async function databaseOutage(databaseUrl: string): Promise<DatabaseOutage> {
  const url = new URL(databaseUrl);
  const db = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  const restore = async () => void (await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`));
  return {
    async cut() {
      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db]);
    },
    restore,
    async close() {
      await restore().catch(() => undefined);
      await admin.end();
    },
  };
}
