import { ChildProcess, spawn } from 'node:child_process';
import { DateTime } from 'luxon';
import mqtt from 'mqtt';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, portAnswers } from '../infra/local-services';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { Hydraulics } from './hydraulics';
import { leakReplay } from './leak-replay';
import { readLifelinesFile } from './lifelines-file';
import { LifelinesService } from './lifelines.service';

/** A private Mosquitto (own port, own persistence folder): the shared one on 1883 is never touched. */
describe('a broker restart in the middle of a sensor stream', () => {
  let dir: string;
  let port: number;
  let broker: ChildProcess | null = null;
  let t: TestApp;
  let pub: mqtt.MqttClient;

  const startBroker = async () => {
    broker = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], {
      stdio: 'ignore',
    });
    await waitFor(async () => (await portAnswers(port)) || undefined, 10000, 'private mosquitto answers');
  };
  const stopBroker = async () => {
    const b = broker!;
    const exited = new Promise((r) => b.once('exit', r));
    b.kill('SIGTERM'); // Mosquitto writes its persistence file on a clean stop.
    await exited;
    broker = null;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-mosquitto-'));
    port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        'autosave_interval 1', // Mosquitto started as root drops to user `mosquitto`, who could not write this folder.
        `user ${os.userInfo().username}`,
        '',
      ].join('\n'),
    );
    await startBroker();
    t = await startTestApp('lifelines-restart', {
      LIFELINES_ENABLED: 'true',
      MQTT_URL: `mqtt://127.0.0.1:${port}`,
      MQTT_TOPIC_PREFIX: 'city',
    });
    await waitFor(async () => t.app.get(LifelinesService).connected || undefined, 10000, 'subscriber connected');
    pub = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      clientId: 'gateway-1',
      clean: false,
      reconnectPeriod: 200,
    });
    await waitFor(async () => pub.connected || undefined, 10000, 'gateway connected');
  });
  afterAll(async () => {
    await pub?.endAsync(true);
    await t?.close();
    if (broker) await stopBroker();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every QoS 1 reading is accepted exactly once; readiness is degraded (not down) while the broker is away', async () => {
    const spec = readLifelinesFile(t.config.LIFELINES_FILE).networks.find((n) => n.id === 'hanoi')!;
    const h = await Hydraulics.load(fs.readFileSync(path.resolve(t.config.LIFELINES_DIR, spec.inpFile!), 'utf8'));
    const hour = (s: number) => {
      const d = DateTime.fromSeconds(s, { zone: t.config.DATA_TIME_ZONE });
      return d.hour + d.minute / 60;
    };
    const fromT = Math.floor(Date.now() / 1000) - 24 * 3600;
    const readings = leakReplay(spec, h, hour, {
      fromT,
      steps: 30,
      stepS: 1800,
      leakNode: '21',
      leakShare: 0.05,
      leakFromT: Infinity,
    });
    const send = (r: (typeof readings)[number]) => pub.publishAsync(`city/hanoi/${r.sensor}/pressure`, JSON.stringify({ t: r.t, value: r.value, unit: 'm', seq: r.seq }), { qos: 1 });
    const half = readings.length / 2;
    for (const r of readings.slice(0, half)) await send(r);
    await stopBroker();
    const svc = t.app.get(LifelinesService);
    await waitFor(async () => !svc.connected || undefined, 10000, 'subscriber sees the broker gone');
    const ready = await t.request('GET', '/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.degraded.map((d: { stage: string }) => d.stage)).toContain('lifelines-mqtt');
    // The gateway keeps publishing while the broker is down: its client queues QoS 1 messages.
    const later = readings.slice(half).map(send);
    await startBroker();
    await Promise.all(later);
    await waitFor(async () => svc.counts.accepted + svc.counts.duplicates >= readings.length || undefined, 30000, 'every reading handled');
    await svc.drained();
    expect(svc.counts.accepted).toBe(readings.length);
    expect((await t.ds.query(`SELECT count(DISTINCT (sensor, t))::int AS n, count(*)::int AS rows FROM sensor_reading`))[0]).toEqual({ n: readings.length, rows: readings.length });
    expect(Object.keys(svc.counts.refused)).toEqual([]);
    await waitFor(async () => svc.connected || undefined, 10000, 'subscriber back');
    const after = await t.request('GET', '/api/health/ready');
    expect(after.body.degraded.map((d: { stage: string }) => d.stage)).not.toContain('lifelines-mqtt');
    // No leak in this stream: no sensor call.
    expect(await t.ds.query(`SELECT id FROM call WHERE source = 'sensor'`)).toEqual([]);
  });
});
