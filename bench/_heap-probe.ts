import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { loadConfig } from '../apps/api/src/config/config';
import { freePort } from '../apps/api/src/infra/local-services';
import { prepare } from '../apps/api/src/bootstrap';
async function main() {
  const config = loadConfig({ ...process.env, DRILL_DATE: '', SEED_DEMO_USERS: 'true' });
  await prepare(config, { dbName: `cad_heap_${Date.now().toString(36)}`, log: () => undefined });
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: `heap:${Date.now().toString(36)}`, PORT: String(port), DRILL_DATE: '', LOG_LEVEL: 'error', RUN_WORKERS: process.env.RW ?? 'false' };
  const api = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', '--diagnostic-dir=/tmp/heapdir', path.resolve('dist/out/apps/api/src/main.js')], { env, stdio: 'inherit', cwd: process.cwd() });
  for (;;) { if (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false)) break; await new Promise((r) => setTimeout(r, 200)); }
  await new Promise((r) => setTimeout(r, 3000));
  api.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 15000));
  api.kill('SIGTERM');
  process.exit(0);
}
void main();
