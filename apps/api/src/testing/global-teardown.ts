import IORedis from 'ioredis';
import { Client } from 'pg';

/** Drops this run's databases and Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.CAD_TEST_RUN;
  const tpl = process.env.CAD_TEST_TEMPLATE_URL;
  if (!run || !tpl) return;
  const admin = new URL(tpl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  const dbs = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`cad_${run}_%`]);
  for (const { datname } of dbs.rows) {
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [datname]);
    await c.query(`DROP DATABASE IF EXISTS "${datname}"`);
  }
  await c.end();
  const redis = new IORedis(process.env.REDIS_URL!);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `cadtest:${run}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
