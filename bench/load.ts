/**
 * Load benchmark (not a test): `npm run bench:load`.
 *
 * Starts the built system as deployed for throughput (`dist/out`: one API process with
 * RUN_WORKERS=false and one worker process) on a fresh database with the San Francisco data, then:
 * 1. posts calls for service open-loop at rising rates (5 s per step) until the accept p99 (POST
 *    answered `202`) passes 50 ms, beside a baseline measured at the same rates on `/api/health/live`
 *    (the same HTTP stack with no work), and reports the highest rate with p99 <= 50 ms;
 * 2. waits for the queues to drain and counts `lost` calls (accepted, no incident at the end);
 * 3. connects 500 socket.io clients and measures fan-out latency of live AVL (POST a position, every
 *    client receives it), beside a baseline of one client.
 * Writes bench/results/load.json.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { Agent, request } from 'undici';
import { loadConfig } from '../apps/api/src/config/config';
import { freePort } from '../apps/api/src/infra/local-services';
import { prepare } from '../apps/api/src/bootstrap';
import { readSfCalls } from '../db/import/sf-calls';

const STEP_S = 5;
const RATES = (process.env.BENCH_RATES ?? '50,100,200,300,400,500,600,800,1000,1200,1500').split(',').map(Number);
const FANOUT_CLIENTS = 500;

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const dbName = `cad_bench_load_${Date.now().toString(36)}`;
  const config = loadConfig({ ...process.env, DRILL_DATE: '', SEED_DEMO_USERS: 'true' });
  await prepare(config, { dbName, log: () => undefined });
  const port = await freePort();
  const prefix = `cadbench:${Date.now().toString(36)}`;
  const env = {
    ...process.env,
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: String(port),
    DRILL_DATE: '',
    LOG_LEVEL: 'error',
    INTAKE_RATE_PER_S: '100000',
    ACK_TIMEOUT_S: '3600',
  };
  const api: ChildProcess = spawn(process.execPath, [path.resolve('dist/out/apps/api/src/main.js')], { env: { ...env, RUN_WORKERS: 'false' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const worker: ChildProcess = spawn(process.execPath, [path.resolve('dist/out/apps/api/src/worker.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
  const token = ((await (await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'commander', password: config.DEMO_PASSWORD }) })).json()) as { token: string }).token;
  const auth = { authorization: `Bearer ${token}` };

  // Real call locations and types, cycled; each posted call gets its own call number.
  const { rows } = readSfCalls(config.dataFile(config.CALLS_FILE), config.DATA_TIME_ZONE);
  const seen = new Set<string>();
  const sources = rows.filter((r) => !seen.has(r.callNumber) && seen.add(r.callNumber));
  let n = 0;
  const accepted: string[] = [];

  /** Open-loop: one request every 1000/rate ms for STEP_S seconds; answers latencies (ms) of 2xx answers and the error count. */
  async function step(rate: number, send: () => Promise<{ ok: boolean; id?: string }>) {
    const lat: number[] = [];
    let errors = 0;
    const total = rate * STEP_S;
    const t0 = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const start = performance.now();
      inflight.push(
        send().then(
          (r) => {
            if (r.ok) lat.push(performance.now() - start);
            else errors++;
            if (r.id) accepted.push(r.id);
          },
          () => void errors++,
        ),
      );
    }
    await Promise.all(inflight);
    return { rate, sent: total, p50_ms: round(pct(lat, 50)), p99_ms: round(pct(lat, 99)), errors };
  }

  const postCall = async () => {
    const c = sources[n++ % sources.length];
    const res = await request(`${url}/api/calls`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ callNumber: `load-${n}`, type: c.callType, priority: 2, lat: c.lat, lon: c.lon, address: c.address ?? undefined }),
    });
    const body = (await res.body.json()) as { id?: string };
    return { ok: res.statusCode === 202, id: res.statusCode === 202 ? body.id : undefined };
  };
  const health = async () => {
    const res = await request(`${url}/api/health/live`, { dispatcher: agent });
    await res.body.dump();
    return { ok: res.statusCode === 200 };
  };

  const steps: { rate: number; calls: Awaited<ReturnType<typeof step>>; baseline: Awaited<ReturnType<typeof step>> }[] = [];
  let maxRate = 0;
  for (const rate of RATES) {
    const baseline = await step(rate, health);
    const calls = await step(rate, postCall);
    steps.push({ rate, calls, baseline });
    console.log(
      `rate ${rate}/s: accept p50 ${calls.p50_ms} ms p99 ${calls.p99_ms} ms (errors ${calls.errors}) | baseline /health/live p99 ${baseline.p99_ms} ms | ratio p99 ${round(calls.p99_ms / baseline.p99_ms)}x`,
    );
    if (calls.p99_ms <= 50 && calls.errors === 0) maxRate = rate;
    else break;
  }

  // Drain: every accepted call must end with an incident.
  const db = new Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  const drainStart = Date.now();
  let lost = accepted.length;
  while (Date.now() - drainStart < 180_000) {
    const r = await db.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NULL`, [accepted]);
    lost = r.rows[0].n;
    if (lost === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const drainS = round((Date.now() - drainStart) / 1000, 1);
  console.log(`accepted ${accepted.length}, lost ${lost} (drained in ${drainS} s)`);

  // Fan-out of live AVL to many consoles, beside one console.
  const [unit] = (await db.query(`SELECT id, lat, lon FROM unit WHERE world = 'live' ORDER BY id LIMIT 1`)).rows;
  async function fanout(clients: number, posts: number) {
    const socks: Socket[] = [];
    const lat: number[] = [];
    const sentAt = new Map<number, number>();
    // Connect in batches of 25 (as consoles come up over a shift change, not all in one millisecond).
    const connectOne = () => new Promise<void>((resolve) => {
        const s = io(url, { transports: ['websocket'], auth: { token }, reconnectionAttempts: 5, forceNew: true });
        s.on('avl', (m: { positions: { unitId: string; lat: number }[] }) => {
          for (const p of m.positions) {
            const t = sentAt.get(p.lat);
            if (p.unitId === unit.id && t !== undefined) lat.push(performance.now() - t);
          }
        });
        s.on('connect', () => s.emit('subscribe', { lastSeq: null }, () => resolve()));
        s.io.on('reconnect_failed', () => {
          console.error('fan-out client could not connect');
          resolve();
        });
        socks.push(s);
      });
    for (let i = 0; i < clients; i += 25) await Promise.all(Array.from({ length: Math.min(25, clients - i) }, connectOne));
    console.log(`fan-out: ${socks.filter((s) => s.connected).length}/${clients} clients connected`);
    for (let i = 0; i < posts; i++) {
      const latV = round(unit.lat + (i + 1) * 1e-6 + clients * 1e-9, 9);
      sentAt.set(latV, performance.now());
      const res = await request(`${url}/api/units/${unit.id}/position`, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ lat: latV, lon: unit.lon }),
      });
      await res.body.dump();
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const connected = socks.filter((s) => s.connected).length;
    socks.forEach((s) => s.disconnect());
    return { clients: connected, posts, received: lat.length, expected: connected * posts, p50_ms: round(pct(lat, 50)), p99_ms: round(pct(lat, 99)) };
  }
  const one = await fanout(1, 50);
  const many = await fanout(FANOUT_CLIENTS, 50);
  console.log(`fan-out to ${many.clients} clients: p50 ${many.p50_ms} ms p99 ${many.p99_ms} ms (${many.received}/${many.expected} received) | 1 client p99 ${one.p99_ms} ms | ratio ${round(many.p99_ms / one.p99_ms)}x`);

  const result = {
    max_calls_per_s_p99_under_50ms: maxRate,
    accepted: accepted.length,
    lost,
    drain_s: drainS,
    fanout_clients: many.clients,
    fanout_p50_ms: many.p50_ms,
    fanout_p99_ms: many.p99_ms,
    fanout_received: many.received,
    fanout_expected: many.expected,
    fanout_baseline_one_client_p99_ms: one.p99_ms,
    fanout_ratio_vs_one_client: round(many.p99_ms / one.p99_ms),
    steps,
    targets: { calls_per_s: 500, accept_p99_ms: 50, lost: 0, fanout_p99_ms: 50 },
    notes:
      'One API process (RUN_WORKERS=false) and one worker process, Postgres and Redis on the same 2-core machine as the load generator and the 500 socket.io clients; ' +
      'accept latency is POST /api/calls answered 202 (stored in Postgres + queued in Redis); baseline is GET /api/health/live at the same rate.',
    machine: { cpus: os.cpus().length, node: process.version },
    measured_at: new Date().toISOString(),
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/load.json', JSON.stringify(result, null, 2) + '\n');
  console.log('wrote bench/results/load.json');
  await db.end();
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await agent.close();
  // Drop the benchmark database.
  const admin = new Client({ connectionString: config.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await new Promise((r) => setTimeout(r, 2000));
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
