import 'reflect-metadata';
// Global setup runs outside jest's module mapper: resolve `@cad/*` from tsconfig paths.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import { prepare } from '../bootstrap';
import { loadConfig } from '../config/config';

/**
 * Once per test run: finds or starts Postgres and Redis exactly as `npm start` does, and builds a
 * template database (migrated, San Francisco data imported) that each test file clones, so every
 * test file has its own database and Redis key prefix.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.CAD_TEST_TEMPLATE_URL) return;
  const run = `t${Date.now().toString(36)}${process.pid}`;
  // The template is a demo record: the tests sign its demo accounts in.
  const config = loadConfig({ ...process.env, DRILL_DATE: '', SEED_DEMO_USERS: 'true' });
  const dbName = `cad_${run}_tpl`;
  await prepare(config, { dbName, log: () => undefined });
  process.env.CAD_TEST_RUN = run;
  process.env.CAD_TEST_TEMPLATE_URL = config.DATABASE_URL!;
  process.env.REDIS_URL = config.REDIS_URL!;
  // Close every connection to the template so CREATE DATABASE ... TEMPLATE works.
  const admin = new URL(config.DATABASE_URL!);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
  await c.end();
}
