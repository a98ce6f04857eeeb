import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { cloneTestDatabase } from '@cad/db/testing';

/** A real API process (the built `main.js`) on its own database and Redis prefix. */
export interface Server {
  url: string;
  /** A client on the server's database, to check what it stored. */
  db: Client;
  stop(): Promise<void>;
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
 * run's template database, and waits until `/api/health` answers.
 * @throws Error with the server's output when it does not come up within 60 s
 */
export async function startServer(label: string): Promise<Server> {
  const databaseUrl = await cloneTestDatabase(label);
  const port = await freePort();
  const main = path.resolve('dist/out/apps/api/src/main.js');
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:${label}:${port}`,
      PORT: String(port),
      DRILL_DATE: '',
      LOG_LEVEL: 'warn',
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
  return {
    url,
    db,
    stop: async () => {
      await db.end();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
