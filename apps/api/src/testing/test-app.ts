import 'reflect-metadata';
import { randomBytes } from 'crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { cloneTestDatabase } from '@cad/db/testing';
import { waitFor } from '@cad/db/testing';
export { waitFor };
import { createApp } from '../bootstrap';
import { AppConfig, capSchemaDir, loadConfig } from '../config/config';
import { QueuesService } from '../queues/queues.service';
import type { ProcessRole } from '../platform/logging/logger';

let counter = 0;

/** A running API (HTTP on a free port, socket.io, in-process workers) on its own database and Redis prefix. */
export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  ds: DataSource;
  /** Resolves when no job is waiting or active on any queue and the predicate (if any) holds. */
  settle(predicate?: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /**
   * Sends a JSON request to the API as the city commander (or with `token`, or with none when `token` is
   * `null`); answers the status and the parsed body (null when empty).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are untyped JSON checked by assertions
  request<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T }>;
  /** Signs a seeded demo account in (password `DEMO_PASSWORD`) and answers its token. */
  signIn(username: string): Promise<string>;
  /** The city commander's token, used by `request` by default. */
  token: string;
  /** Waits until a posted call has an incident that left `received` (or any status when `anyStatus`), and answers its view. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are untyped JSON checked by assertions
  incidentOf(callId: string, anyStatus?: boolean): Promise<any>;
  close(): Promise<void>;
}

/**
 * Boots the whole application for a test, the way `main.ts` does (without a drill), on a clone of the
 * template (a demo record) or on `opts.databaseUrl`; `opts.signIn: false` skips signing the demo
 * commander in (`token` is then empty); `opts.role: 'worker'` plays a worker process (its heartbeat is
 * not an API's).
 */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  opts: { databaseUrl?: string; signIn?: boolean; role?: ProcessRole } = {},
): Promise<TestApp> {
  const databaseUrl = opts.databaseUrl ?? (await cloneTestDatabase(label));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:${label}:${process.pid}:${counter++}:${randomBytes(3).toString('hex')}`,
    PORT: '0',
    DRILL_DATE: '',
    LOG_LEVEL: 'warn',
    // No MQTT subscriber on the shared broker unless a test asks for one (the lifelines specs do).
    LIFELINES_ENABLED: 'false',
    // The CAP schemas sit beside the data (`<standards>/cap` next to `<data>/san-francisco`) unless set.
    CAP_SCHEMA_DIR: capSchemaDir(process.env),
    ...env,
  });
  const app = await createApp(config, opts.role);
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
  const url = `http://127.0.0.1:${port}`;
  let commander: string | null = null;
  const request = async (method: string, p: string, body?: unknown, token?: string | null) => {
    const bearer = token === undefined ? commander : token;
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await fetch(url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const signIn = async (username: string) => {
    const r = await request('POST', '/api/auth/sign-in', { username, password: config.DEMO_PASSWORD }, null);
    if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  if (opts.signIn !== false) commander = await signIn('commander');
  const ds = app.get(DataSource);
  const incidentOf = async (callId: string, anyStatus = false) => {
    const id = await waitFor(async () => {
      const [row] = await ds.query(`SELECT i.id FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1 AND ($2 OR i.status <> 'received')`, [callId, anyStatus]);
      return row?.id as string | undefined;
    }, 20000, `incident of call ${callId}`);
    return (await request('GET', `/api/incidents/${id}`)).body;
  };
  return { app, config, url, ds, settle, request, signIn, token: commander ?? '', incidentOf, close: () => app.close() };
}
