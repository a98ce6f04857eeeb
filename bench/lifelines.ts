/**
 * `npm run bench:lifelines` → bench/results/lifelines.json.
 *
 * 1. Detection quality on the Hanoi network (EPANET model via epanet-js), the fixed LeakDB-style
 *    configuration `SCENARIO_CONFIG` (apps/api/src/lifelines/scenarios.ts), scored as BattLeDIM does:
 *    a detection counts when it comes after the leak starts and within a week of it.
 * 2. Through the real broker (127.0.0.1:1883, a topic prefix of this run) and the real intake (the API
 *    in this process on a fresh database): ingest rate of valid readings, against a baseline measured in
 *    the same run (the same readings through the broker to a bare subscriber), and the time from
 *    publishing the reading that reveals a leak to its incident existing (p50/p99).
 */
import { nearestRank } from '@cad/domain';
import { DateTime } from 'luxon';
import mqtt from 'mqtt';
import * as fs from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { createApp, prepare } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/config';
import { Hydraulics } from '../apps/api/src/lifelines/hydraulics';
import { leakReplay } from '../apps/api/src/lifelines/leak-replay';
import { readLifelinesFile } from '../apps/api/src/lifelines/lifelines-file';
import { LifelinesService } from '../apps/api/src/lifelines/lifelines.service';
import { runScenarios, SCENARIO_CONFIG, scoreScenarios } from '../apps/api/src/lifelines/scenarios';

const INGEST_STEPS = Number(process.env.BENCH_INGEST_STEPS ?? 2500);
const EPISODES = Number(process.env.BENCH_EPISODES ?? 40);
const WINDOW = 500;
/** Junctions far from the reservoir, where a 10% leak shows on the sensors at once (one next to the reservoir, like 2, barely does). */
const LATENCY_LEAK_NODES = ['21', '13', '31', '27', '17', '24'];
const round = (x: number | null, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => round(x, 2));
  const config = loadConfig({ ...process.env, DRILL_DATE: '', LOG_LEVEL: 'error' });
  const spec = readLifelinesFile(config.LIFELINES_FILE).networks.find((n) => n.id === 'hanoi')!;
  const inp = fs.readFileSync(path.resolve(config.LIFELINES_DIR, spec.inpFile!), 'utf8');

  // 1. Detection quality.
  const t0 = Date.now();
  const outcomes = runScenarios(await Hydraulics.load(inp), spec);
  const quality = scoreScenarios(outcomes);
  console.log('scenarios', ((Date.now() - t0) / 1000).toFixed(1), 's', quality);

  // 2. Through the broker and intake.
  const prefix = `bench22/${Date.now().toString(36)}`;
  const dbName = `cad_bench_lifelines_${Date.now().toString(36)}`;
  config.MQTT_URL = 'mqtt://127.0.0.1:1883';
  config.MQTT_TOPIC_PREFIX = prefix;
  config.MQTT_SESSION_EXPIRY_S = 60;
  config.REDIS_PREFIX = `cadbench:${Date.now().toString(36)}`;
  config.INTAKE_RATE_PER_S = 100000;
  await prepare(config, { dbName, log: () => undefined });
  const app = await createApp(config);
  app.useLogger(['error']);
  await app.listen(0, '127.0.0.1');
  const svc = app.get(LifelinesService);
  const ds = app.get(DataSource);
  while (!svc.connected) await sleep(50);
  const h = await Hydraulics.load(inp);
  const hour = (s: number) => {
    const d = DateTime.fromSeconds(s, { zone: config.DATA_TIME_ZONE });
    return d.hour + d.minute / 60;
  };
  const now = Math.floor(Date.now() / 1000);
  const fromT = now - INGEST_STEPS * 60 - 3 * 3600;
  const steady = leakReplay(spec, h, hour, { fromT, steps: INGEST_STEPS, stepS: 60, leakNode: '21', leakShare: 0.05, leakFromT: Infinity });
  const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `bench22-pub-${process.pid}` });
  const payload = (r: (typeof steady)[number]) => JSON.stringify({ t: r.t, value: r.value, unit: 'm', seq: r.seq });

  // Baseline: the same readings through the broker to a bare subscriber (no validation, no detector).
  const bare = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `bench22-bare-${process.pid}` });
  await bare.subscribeAsync(`${prefix}-bare/+/+/+`, { qos: 1 });
  let bareGot = 0;
  bare.on('message', () => bareGot++);
  // Published in windows of WINDOW unacknowledged messages: Mosquitto queues at most 1,000 QoS 1 messages
  // per subscriber by default (max_queued_messages) and drops the rest of a larger burst.
  const publishAll = async (topic: (r: (typeof steady)[number]) => string) => {
    for (let i = 0; i < steady.length; i += WINDOW) await Promise.all(steady.slice(i, i + WINDOW).map((r) => pub.publishAsync(topic(r), payload(r), { qos: 1 })));
  };
  const until = async (done: () => boolean, what: string) => {
    const end = Date.now() + 120_000;
    while (!done()) {
      if (Date.now() > end) throw new Error(`${what} not done in 120 s`);
      await sleep(5);
    }
  };
  let start = Date.now();
  await publishAll((r) => `${prefix}-bare/hanoi/${r.sensor}/pressure`);
  await until(() => bareGot >= steady.length, 'bare subscriber');
  const baseline = steady.length / ((Date.now() - start) / 1000);
  await bare.endAsync();

  start = Date.now();
  await publishAll((r) => `${prefix}/hanoi/${r.sensor}/pressure`);
  await until(() => svc.counts.accepted + svc.counts.duplicates >= steady.length, 'CAD subscriber');
  await svc.drained();
  const ingest = steady.length / ((Date.now() - start) / 1000);
  const falseCalls = svc.alarms.size;
  console.log('ingest', Math.round(ingest), 'obs/s; bare broker', Math.round(baseline), 'obs/s; alarms on the leak-free stream', falseCalls);

  // Sensor-to-incident: one leak at a time; the first leaking step (every sensor) is published and timed.
  const latencies: number[] = [];
  let t = now - 2 * 3600;
  for (let k = 0; k < EPISODES; k++) {
    svc.dismiss('hanoi');
    const leak = leakReplay(spec, h, hour, { fromT: t, steps: 1, stepS: 60, leakNode: LATENCY_LEAK_NODES[k % LATENCY_LEAK_NODES.length], leakShare: 0.1, leakFromT: t });
    t += 60;
    const sent = Date.now();
    for (const r of leak) await pub.publishAsync(`${prefix}/hanoi/${r.sensor}/pressure`, payload(r), { qos: 1 });
    for (;;) {
      const callNumber = svc.alarms.get('hanoi')?.callNumber;
      if (callNumber) {
        const [row] = await ds.query(`SELECT incident_id FROM call WHERE call_number = $1`, [callNumber]);
        if (row?.incident_id) break;
      }
      if (Date.now() - sent > 20000) throw new Error(`episode ${k}: no incident within 20 s`);
      await sleep(2);
    }
    latencies.push(Date.now() - sent);
  }
  await pub.endAsync();
  await app.close();
  // This run's database: dropped (the record of a benchmark is its JSON).
  const admin = new DataSource({ type: 'postgres', url: config.DATABASE_URL!.replace(/\/[^/]+$/, '/postgres') });
  await admin.initialize();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`);
  await admin.destroy();
  console.log('sensor to incident ms p50', nearestRank(latencies, 0.50), 'p99', nearestRank(latencies, 0.99));

  const result = {
    generated_at: new Date().toISOString(),
    network: 'Hanoi_CMH.inp (LeakDB), read as it is; mean demand ' + round(h.meanDemand, 1) + ' m³/h as the file states',
    scenario_config: SCENARIO_CONFIG,
    sensors: spec.sensors.map((s) => `${s.id}@${s.node}`),
    detector: spec.detector,
    ...Object.fromEntries(Object.entries(quality).map(([k, v]) => [k, round(v)])),
    scenarios_detected: outcomes.filter((o) => o.detectedAfterS !== null).length,
    ingest_obs_per_s: Math.round(ingest),
    ingest_baseline_bare_broker_obs_per_s: Math.round(baseline),
    ingest_readings: steady.length,
    alarms_on_leak_free_ingest_stream: falseCalls,
    sensor_to_incident_p50_ms: nearestRank(latencies, 0.50),
    sensor_to_incident_p99_ms: nearestRank(latencies, 0.99),
    sensor_to_incident_episodes: EPISODES,
    sensor_to_incident_leaks: `10% of mean demand at junctions ${LATENCY_LEAK_NODES.join(', ')} in turn; timed from publishing the first leaking reading of every sensor to the incident row`,
    broker: 'Mosquitto 127.0.0.1:1883, QoS 1, published in windows of ' + WINDOW + ' unacknowledged messages',
    load_average_1_5_15min: { before: loadBefore, after: loadavg().map((x) => round(x, 2)), note: 'a 2-core machine shared with other engineers’ builds and tests' },
    outcomes: outcomes.map((o) => ({ kind: o.kind, node: o.node, share: round(o.share), start_h: round(o.startS / 3600, 1), detected_after_h: o.detectedAfterS === null ? null : round(o.detectedAfterS / 3600, 1), candidates: o.candidates, false_alarms: o.falseAlarms })),
  };
  // Run from the project root (tools/cad.sh): compiled, this file sits in dist/out/bench.
  fs.mkdirSync(path.resolve('bench/results'), { recursive: true });
  fs.writeFileSync(path.resolve('bench/results/lifelines.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
