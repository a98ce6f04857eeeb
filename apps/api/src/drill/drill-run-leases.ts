import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** `application_name` of the connection that holds this process's drill run leases. */
export const DRILL_LEASE_APPLICATION = 'cad-drill-run-leases';
/** First key of every drill run lease (`pg_advisory_lock(key1, key2)`), so they never meet other advisory locks. */
const NAMESPACE = `hashtext('drill_run')`;

/**
 * Which drill runs have a process running them. The process that runs a drill holds a Postgres
 * session advisory lock on the run id (`pg_advisory_lock(hashtext('drill_run'), hashtext(id))`) on one
 * connection of its own for as long as the run goes; Postgres frees it the moment that session ends,
 * also when the process is killed (SIGKILL) and its socket closes. A run recorded `running` whose lease
 * another session can take has no process any more.
 *
 * Limit: a lost lease connection (Postgres restarted) frees the leases of the runs still going; a new
 * connection holds only the runs started after it.
 */
export class DrillRunLeases {
  private readonly log = new Logger('DrillLeases');
  private client: Promise<Client> | null = null;

  /** @param url Postgres connection string of the application's database */
  constructor(private readonly url: string | undefined) {}

  /** Holds the lease of run `id` (waits while another session holds it). @throws Error when Postgres cannot be reached */
  async hold(id: string): Promise<void> {
    await (await this.session()).query(`SELECT pg_advisory_lock(${NAMESPACE}, hashtext($1))`, [id]);
  }

  /** Gives back the lease of run `id` (nothing when it is not held here). Never throws. */
  async release(id: string): Promise<void> {
    await this.session()
      .then((c) => c.query(`SELECT pg_advisory_unlock(${NAMESPACE}, hashtext($1))`, [id]))
      .catch((e: Error) => this.log.warn(`lease of ${id} not released: ${e.message}`));
  }

  /**
   * Whether no session holds the lease of run `id`: its process is gone. Must not be asked about a run
   * this process holds (a session may take its own lock again). @throws Error when Postgres cannot be reached
   */
  async orphaned(id: string): Promise<boolean> {
    const c = await this.session();
    const [{ got }] = (await c.query(`SELECT pg_try_advisory_lock(${NAMESPACE}, hashtext($1)) AS got`, [id])).rows;
    if (got) await c.query(`SELECT pg_advisory_unlock(${NAMESPACE}, hashtext($1))`, [id]);
    return got === true;
  }

  /** Ends the lease connection (every lease this process holds is freed). */
  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.then((x) => x.end()).catch(() => undefined);
  }

  /** The lease connection, opened on first use and again after it was lost. */
  private session(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000, application_name: DRILL_LEASE_APPLICATION });
    const lost = (err: Error) => {
      if (this.client !== opened) return;
      this.client = null;
      this.log.warn(`drill run lease connection lost (${err.message}): the leases of the runs going are freed`);
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    const opened: Promise<Client> = client.connect().then(() => client);
    this.client = opened;
    opened.catch(() => {
      if (this.client === opened) this.client = null;
    });
    return opened;
  }
}
