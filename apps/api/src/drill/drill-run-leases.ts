import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** `application_name` of the connection that holds this process's drill run leases. */
export const DRILL_LEASE_APPLICATION = 'cad-drill-run-leases';
/** First key of every drill run lease (`pg_advisory_lock(key1, key2)`), so they never meet other advisory locks. */
const NAMESPACE = `hashtext('drill_run')`;
/** Longest wait between two tries to hold the leases again after their connection was lost, milliseconds. */
const MAX_REHOLD_WAIT_MS = 30_000;

/**
 * Which drill runs have a process running them. The process that runs a drill holds a Postgres
 * session advisory lock on the run id (`pg_advisory_lock(hashtext('drill_run'), hashtext(id))`) on one
 * connection of its own for as long as the run goes; Postgres frees it the moment that session ends,
 * also when the process is killed (SIGKILL) and its socket closes. A run recorded `running` whose lease
 * another session can take has no process any more.
 *
 * A lost lease connection (its backend terminated, Postgres restarted) frees the leases of the runs
 * still going: it is logged as an error naming them, and they are held again on a new connection at
 * once (then with backoff up to {@link MAX_REHOLD_WAIT_MS} while Postgres cannot be reached). A lease
 * another session took meanwhile, or a run no longer recorded as going (another process judged it dead
 * and ended it in the gap), is reported to `lost`: the run can no longer be told apart from a dead one.
 */
export class DrillRunLeases {
  private readonly log = new Logger('DrillLeases');
  private client: Promise<Client> | null = null;
  /** The runs whose leases this process holds (taken by {@link hold}, given back by {@link release}). */
  private readonly held = new Set<string>();
  private reholdTimer: NodeJS.Timeout | null = null;

  /**
   * @param url Postgres connection string of the application's database
   * @param hooks `going(id)`: whether run `id` is still recorded running or paused (asked after its
   *   lease is held again); `lost(id, why)`: its lease could not be held again (the run must end)
   */
  constructor(
    private readonly url: string | undefined,
    private readonly hooks: { going?: (id: string) => Promise<boolean>; lost?: (id: string, why: string) => void } = {},
  ) {}

  /** Holds the lease of run `id` (waits while another session holds it). @throws Error when Postgres cannot be reached */
  async hold(id: string): Promise<void> {
    await (await this.session()).query(`SELECT pg_advisory_lock(${NAMESPACE}, hashtext($1))`, [id]);
    this.held.add(id);
  }

  /** The runs whose leases this process holds now (none while they are being held again). */
  holding(): string[] {
    return [...this.held];
  }

  /** Gives back the lease of run `id` (nothing when it is not held here). Never throws. */
  async release(id: string): Promise<void> {
    this.held.delete(id);
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

  /** Ends the lease connection (every lease this process holds is freed, and not held again). */
  async close(): Promise<void> {
    this.held.clear();
    if (this.reholdTimer) clearTimeout(this.reholdTimer);
    this.reholdTimer = null;
    const c = this.client;
    this.client = null;
    if (c) await c.then((x) => x.end()).catch(() => undefined);
  }

  /**
   * Holds again, on a new connection, the leases of the runs this process still runs (after the lease
   * connection was lost); retried with backoff while Postgres cannot be reached.
   * @param attempt 0 for at once; each failure doubles the wait, from 500 ms up to {@link MAX_REHOLD_WAIT_MS}
   */
  private rehold(attempt: number): void {
    if (this.reholdTimer || !this.held.size) return;
    const wait = attempt === 0 ? 0 : Math.min(MAX_REHOLD_WAIT_MS, 250 * 2 ** attempt);
    this.reholdTimer = setTimeout(() => {
      this.reholdTimer = null;
      void this.holdAgain().catch((e: Error) => {
        this.log.warn(`drill run leases not held again yet (${e.message}); retrying in ${Math.min(MAX_REHOLD_WAIT_MS, 250 * 2 ** (attempt + 1))} ms`);
        this.rehold(attempt + 1);
      });
    }, wait);
    this.reholdTimer.unref();
  }

  /** One try of {@link rehold}. @throws Error when Postgres cannot be reached */
  private async holdAgain(): Promise<void> {
    const c = await this.session();
    for (const id of [...this.held]) {
      const [{ got }] = (await c.query(`SELECT pg_try_advisory_lock(${NAMESPACE}, hashtext($1)) AS got`, [id])).rows;
      // Released meanwhile (the run ended while the lease was being taken again): give it back.
      if (!this.held.has(id)) {
        if (got) await c.query(`SELECT pg_advisory_unlock(${NAMESPACE}, hashtext($1))`, [id]);
        continue;
      }
      let why: string | null = null;
      if (got !== true) why = `its lease was taken by another session while the lease connection was down`;
      else if (this.hooks.going && !(await this.hooks.going(id))) why = `another process ended it as dead while its lease connection was down`;
      if (!why) {
        this.log.log(`lease of drill run ${id} held again`);
        continue;
      }
      this.held.delete(id);
      if (got === true) await c.query(`SELECT pg_advisory_unlock(${NAMESPACE}, hashtext($1))`, [id]);
      this.log.error(`drill run ${id}: lease lost: ${why}`);
      this.hooks.lost?.(id, `lease lost: ${why}`);
    }
  }

  /** The lease connection, opened on first use and again after it was lost. */
  private session(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000, application_name: DRILL_LEASE_APPLICATION });
    const lost = (err: Error) => {
      if (this.client !== opened) return;
      this.client = null;
      void client.end().catch(() => undefined);
      if (!this.held.size) return;
      this.log.error(`drill run lease connection lost (${err.message}): the leases of ${[...this.held].join(', ')} were freed; holding them again`);
      this.rehold(0);
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
