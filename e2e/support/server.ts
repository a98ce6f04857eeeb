import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { cloneTestDatabase, emptyTestDatabase } from '@cad/db/testing';

/** A real API process (the built `main.js`) on its own database and Redis prefix. */
export interface Server {
  url: string;
  /** A client on the server's database, to check what it stored. */
  db: Client;
  databaseUrl: string;
  redisPrefix: string;
  /** Signs a seeded demo account in (default password `dispatch-demo`) and answers its bearer token. */
  signIn(username?: string): Promise<string>;
  /** JSON request with a bearer token (the city commander's unless given). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are untyped JSON checked by assertions
  request(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** A worker process (the built `worker.js`) sharing a server's database and Redis prefix. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit signal or code when the process ends. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Starts `node dist/out/apps/api/src/worker.js` on a server's database and Redis prefix, and waits
 * until it says it is running.
 * @param env extra environment (e.g. `JOB_LOCK_MS`)
 * @param faults `killAt`: start the test-only worker entry (`faults/fault-worker.js`) instead, which
 *   SIGKILLs itself when a job first reaches that fault point (`dispatch.assignments-written`,
 *   `escalation.committed`: see `apps/api/src/platform/fault-points.ts`)
 * @throws Error with its output when it does not start within 60 s
 */
export async function startWorker(server: Server, env: Record<string, string> = {}, faults: { killAt?: string } = {}): Promise<WorkerProcess> {
  const entry = faults.killAt ? ['dist/out/apps/api/src/faults/fault-worker.js', faults.killAt] : ['dist/out/apps/api/src/worker.js'];
  const child = spawn(process.execPath, [path.resolve(entry[0]), ...entry.slice(1)], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl, REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: server.redisPrefix, DRILL_DATE: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(signal ?? String(code))));
  const end = Date.now() + 60000;
  while (!output.includes('worker running')) {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, exited, stop: () => stopChild(child) };
}

/** A new, migrated database with no city in it, answered as its connection string. */
async function emptyDatabase(label: string): Promise<string> {
  const ds = await emptyTestDatabase(label);
  const url = (ds.options as { url: string }).url;
  await ds.destroy();
  return url;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node dist/out/apps/api/src/main.js` (build first: `npm run build`) against a clone of the
 * run's template database (or, with `shareWith`, on another server's database and Redis prefix: a
 * second node of the same system), and waits until `/api/health` answers. With `env.CITY_PROFILE` (another
 * city, e.g. the fixture city `db/cities/fixtures/riverton/riverton.yaml` with its `DATA_DIR`) it starts on an
 * empty, migrated database instead, and the API imports that city at its first start, as `npm start` does.
 * @throws Error with the server's output when it does not come up within 60 s
 */
export async function startServer(label: string, env: Record<string, string> = {}, shareWith?: Server): Promise<Server> {
  const databaseUrl = shareWith?.databaseUrl ?? (env.CITY_PROFILE ? await emptyDatabase(label) : await cloneTestDatabase(label));
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const main = path.resolve('dist/out/apps/api/src/main.js');
  const redisPrefix = shareWith?.redisPrefix ?? `cadtest:${process.env.CAD_TEST_RUN}:${label}:${port}`;
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      PORT: String(port),
      DRILL_DATE: '',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`API did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const signIn = async (username = 'commander') => {
    const res = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD || 'dispatch-demo' }),
    });
    if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };
  const commander = await signIn();
  const request = async (method: string, p: string, body?: unknown, token = commander) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    url,
    db,
    databaseUrl,
    redisPrefix,
    signIn,
    request,
    stop: async () => {
      await db.end();
      await stopChild(child);
    },
  };
}
