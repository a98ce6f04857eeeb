import 'reflect-metadata';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/api/src/bootstrap';
import { AppConfig, loadConfig } from '../../apps/api/src/config/config';
import { QueuesService } from '../../apps/api/src/queues/queues.service';

let counter = 0;

/**
 * A fresh database cloned from the run's template (migrated, SF data imported).
 * @returns its connection string
 */
export async function cloneTestDatabase(label: string): Promise<string> {
  const tpl = new URL(process.env.CAD_TEST_TEMPLATE_URL!);
  const name = `cad_${process.env.CAD_TEST_RUN}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${process.pid}_${counter++}`;
  const admin = new URL(tpl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}" TEMPLATE "${tpl.pathname.slice(1)}"`);
  await c.end();
  const url = new URL(tpl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A running API (HTTP on a free port, socket.io, in-process workers) on its own database and Redis prefix. */
export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  ds: DataSource;
  /** Resolves when no job is waiting or active on any queue and the predicate (if any) holds. */
  settle(predicate?: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Boots the whole application for a test, the way `main.ts` does (without a drill). */
export async function startTestApp(label: string, env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = await cloneTestDatabase(label);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:${label}:${process.pid}:${counter++}`,
    PORT: '0',
    DRILL_DATE: '',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await createApp(config);
  app.useLogger(['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const queues = app.get(QueuesService);
  const settle = async (predicate?: () => Promise<boolean>, timeoutMs = 20000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if ((await queues.pending()) === 0 && (!predicate || (await predicate()))) return;
      if (Date.now() > end) throw new Error(`not settled within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { app, config, url: `http://127.0.0.1:${port}`, ds: app.get(DataSource), settle, close: () => app.close() };
}

/** Polls `fn` until it returns a truthy value. */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
