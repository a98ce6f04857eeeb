import * as path from 'node:path';
import { emptyTestDatabase } from '@cad/db/testing';
import { prepare } from '../bootstrap';
import { loadConfig } from '../config/config';
import { startTestApp, TestApp } from './test-app';

/** Riverton, the fixture city (`db/cities/fixtures/riverton/`): its profile, with its data beside it. */
export const RIVERTON_DIR = path.resolve('db/cities/fixtures/riverton');
export const RIVERTON_ENV = { CITY_PROFILE: path.join(RIVERTON_DIR, 'riverton.yaml'), DATA_DIR: RIVERTON_DIR, ROUTING_CACHE_DIR: path.resolve('.cad/routing-cache-test') };

/**
 * Starts the API on Riverton alone: an empty test database, Riverton imported through its profile (as
 * `npm start` does), then the app on that database.
 * @param name the test database's name
 * @returns the app and what the import counted (`districts`, `streets`, `units`, ...)
 */
export async function startRivertonApp(name: string): Promise<{ t: TestApp; imported: Record<string, unknown> }> {
  const empty = await emptyTestDatabase(name);
  const databaseUrl = (empty.options as { url: string }).url;
  await empty.destroy();
  const config = loadConfig({ ...process.env, ...RIVERTON_ENV, DATABASE_URL: databaseUrl, SEED_DEMO_USERS: 'true', DRILL_DATE: '' });
  const { imported } = await prepare(config, { log: () => undefined });
  const t = await startTestApp(name, RIVERTON_ENV, { databaseUrl });
  return { t, imported: imported as unknown as Record<string, unknown> };
}
