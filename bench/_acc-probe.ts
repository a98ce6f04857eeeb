import { degreesAround } from '@cad/domain';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { loadConfig } from '../apps/api/src/config/config';
import { freePort } from '../apps/api/src/infra/local-services';
import { prepare } from '../apps/api/src/bootstrap';
import { readSfCalls } from '../db/import/sf-calls';

async function main() {
  const SECS = Number(process.env.SECS ?? 10);
  const dbName = `cad_probe_${Date.now().toString(36)}`;
  const config = loadConfig({ ...process.env, DRILL_DATE: '', SEED_DEMO_USERS: 'true' });
  await prepare(config, { dbName, log: () => undefined });
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: `probe:${Date.now().toString(36)}`, PORT: String(port), DRILL_DATE: '', LOG_LEVEL: 'error', INTAKE_RATE_PER_S: '100000', ACK_TIMEOUT_S: '3600', RUN_WORKERS: 'false' };
  const T0 = performance.now();
  const lines: [number, string][] = [];
  const api = spawn(process.execPath, [...(process.env.NODEFLAGS ?? '').split(' ').filter(Boolean), path.resolve('dist/out/apps/api/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (d: Buffer) => { for (const l of String(d).split('\n')) if (l.trim()) lines.push([performance.now() - T0, l]); };
  api.stdout!.on('data', onData); api.stderr!.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  for (;;) { if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break; await new Promise((r) => setTimeout(r, 200)); }
  const agent = new Agent({ connections: Number(process.env.CONN ?? 256), pipelining: 1, keepAliveTimeout: 30_000 });
  const token = ((await (await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'commander', password: config.DEMO_PASSWORD }) })).json()) as { token: string }).token;
  const { rows } = readSfCalls(config.dataFile(config.CALLS_FILE), config.DATA_TIME_ZONE);
  let n = 0;
  const post = async () => {
    const c = rows[n % rows.length]; n++;
    const s = degreesAround(400, c.lat);
    const res = await request(`${url}/api/calls`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ callNumber: `p-${n}`, type: c.callType, priority: 2, lat: c.lat + s.dLat * 0.1, lon: c.lon }) });
    await res.body.dump();
    return res.statusCode;
  };
  for (const phase of ['warm', ...(process.env.RATES ?? '200').split(',')]) {
    const RATE = phase === 'warm' ? 200 : Number(phase);
    lines.length = 0;
    const res: [number, number, number][] = [];
    const t0 = performance.now();
    const total = RATE * SECS, infl: Promise<void>[] = [];
    if (process.env.SNAP && phase !== 'warm') setTimeout(() => api.kill('SIGUSR2'), (SECS * 1000) / 2);
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE; const w = due - performance.now();
      if (w > 1) await new Promise((r) => setTimeout(r, w));
      const st = performance.now();
      infl.push(post().then((code) => void res.push([st - T0, performance.now() - st, code])));
    }
    await Promise.all(infl);
    const lat = res.map((r) => r[1]).sort((a, b) => a - b);
    console.log(phase, 'p50', lat[Math.floor(lat.length * 0.5)].toFixed(1), 'p99', lat[Math.floor(lat.length * 0.99)].toFixed(1), 'max', lat[lat.length - 1].toFixed(1), 'non202', res.filter((r) => r[2] !== 202).length);
    if (process.env.SHOW) {
      const worst = [...res].sort((a, b) => b[1] - a[1]).slice(0, 25).sort((a, b) => a[0] - b[0]);
      for (const w of worst) console.log('slow at', w[0].toFixed(0), 'took', w[1].toFixed(1));
      for (const [t, l] of lines) console.log('api', t.toFixed(0), l.slice(0, 200));
    }
  }
  await new Promise((r) => setTimeout(r, Number(process.env.SNAP ? 20000 : 0)));
  api.kill('SIGTERM');
  process.exit(0);
}
void main();
