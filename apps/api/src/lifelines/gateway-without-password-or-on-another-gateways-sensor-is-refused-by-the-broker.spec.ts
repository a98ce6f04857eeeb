import { ChildProcess, execFileSync, spawn } from 'node:child_process';
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

/**
 * A private Mosquitto secured as docs/lifelines.md tells a city to: no anonymous clients, a
 * password per gateway, and an ACL letting each gateway write only its own sensors' topics. The shared
 * broker on 1883 is never touched.
 */
describe('a secured broker: a gateway without its password, or on another gateway’s sensor, is refused', () => {
  // The Hanoi sensors of db/lifelines/sf-lifelines.json, split between two gateways.
  const east = ['P-30', 'P-2', 'P-22', 'P-21'];
  const west = ['P-17', 'P-13', 'P-28', 'P-18'];
  const users = { 'gw-hanoi-east': 'east-secret', 'gw-hanoi-west': 'west-secret', cad: 'cad-secret', ops: 'ops-secret' };
  let dir: string;
  let port: number;
  let url: string;
  let broker: ChildProcess;
  let t: TestApp;
  let gwEast: mqtt.MqttClient;
  let gwWest: mqtt.MqttClient;
  let ops: mqtt.MqttClient;
  const dead: { topic: string; field: string }[] = [];
  const reading = (value: number, t0 = Math.floor(Date.now() / 1000) - 60) => JSON.stringify({ t: t0, value, unit: 'm' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cad-mosquitto-acl-'));
    port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    const passwd = path.join(dir, 'passwd');
    Object.entries(users).forEach(([user, pass], i) =>
      // `-c` creates the file with the first user; `-b` takes the password from the command line.
      execFileSync('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', passwd, user, pass]),
    );
    fs.writeFileSync(
      path.join(dir, 'acl'),
      [
        'user gw-hanoi-east',
        ...east.map((s) => `topic write city/hanoi/${s}/pressure`),
        'user gw-hanoi-west',
        ...west.map((s) => `topic write city/hanoi/${s}/pressure`),
        'user cad',
        'topic read city/#',
        'topic write city/deadletter',
        'user ops',
        'topic read city/deadletter',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous false',
        `password_file ${passwd}`,
        `acl_file ${path.join(dir, 'acl')}`,
        'persistence true',
        `persistence_location ${dir}/`,
        `user ${os.userInfo().username}`, // Started as root, Mosquitto would drop to user `mosquitto`, who cannot read this folder.
        '',
      ].join('\n'),
    );
    broker = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitFor(async () => (await portAnswers(port)) || undefined, 10000, 'private mosquitto answers');
    t = await startTestApp('lifelines-acl', {
      LIFELINES_ENABLED: 'true',
      MQTT_URL: url,
      MQTT_USERNAME: 'cad',
      MQTT_PASSWORD: users.cad,
      MQTT_TOPIC_PREFIX: 'city',
    });
    await waitFor(async () => t.app.get(LifelinesService).connected || undefined, 10000, 'CAD subscriber connected with its credentials');
    const connect = (username: keyof typeof users) => mqtt.connectAsync(url, { clientId: username, username, password: users[username], protocolVersion: 5, reconnectPeriod: 0 });
    [gwEast, gwWest, ops] = await Promise.all([connect('gw-hanoi-east'), connect('gw-hanoi-west'), connect('ops')]);
    await ops.subscribeAsync('city/deadletter', { qos: 1 });
    ops.on('message', (_topic, payload) => dead.push(JSON.parse(payload.toString())));
  });
  afterAll(async () => {
    await Promise.all([gwEast, gwWest, ops].map((c) => c?.endAsync(true)));
    await t?.close();
    if (broker && broker.exitCode === null) {
      const exited = new Promise((r) => broker.once('exit', r));
      broker.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses at connect a gateway with a wrong password, an unknown user and an anonymous client', async () => {
    const attempt = (opts: mqtt.IClientOptions) =>
      mqtt.connectAsync(url, { clientId: `intruder-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0, connectTimeout: 5000, ...opts }).then(
        async (c) => {
          await c.endAsync(true);
          return 'connected';
        },
        (e: Error & { code?: number }) => e.code,
      );
    // MQTT 3.1.1 CONNACK 5 "not authorised"; MQTT 5 CONNACK 0x87 "not authorised" (what Mosquitto 2.0 answers to a wrong password too).
    expect(await attempt({ username: 'gw-hanoi-east', password: 'guess' })).toBe(5);
    expect(await attempt({ username: 'gw-hanoi-east', password: 'guess', protocolVersion: 5 })).toBe(0x87);
    expect(await attempt({ username: 'nobody', password: users.cad })).toBe(5);
    expect(await attempt({})).toBe(5);
    expect(await attempt({ protocolVersion: 5 })).toBe(0x87);
    expect(t.app.get(LifelinesService).connected).toBe(true);
  });

  it('a CAD configured with a wrong MQTT_PASSWORD stays disconnected and readiness says lifelines-mqtt is degraded', async () => {
    const wrong = await startTestApp('lifelines-acl-wrong', { LIFELINES_ENABLED: 'true', MQTT_URL: url, MQTT_USERNAME: 'cad', MQTT_PASSWORD: 'guess', MQTT_TOPIC_PREFIX: 'city' });
    try {
      await new Promise((r) => setTimeout(r, 1500)); // at least one refused attempt and one retry (reconnectPeriod 1 s)
      expect(wrong.app.get(LifelinesService).connected).toBe(false);
      const ready = await wrong.request('GET', '/api/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.degraded.map((d: { stage: string }) => d.stage)).toContain('lifelines-mqtt');
    } finally {
      await wrong.close();
    }
  });

  it('a gateway publishing on another gateway’s sensor never reaches the CAD (no reading, no count, no dead letter, no incident); its own sensors work', async () => {
    const svc = t.app.get(LifelinesService);
    const before = { ...svc.counts };
    const spec = readLifelinesFile(t.config.LIFELINES_FILE).networks.find((n) => n.id === 'hanoi')!;
    const h = await Hydraulics.load(fs.readFileSync(path.resolve(t.config.LIFELINES_DIR, spec.inpFile!), 'utf8'));
    const hour = (s: number) => {
      const d = DateTime.fromSeconds(s, { zone: t.config.DATA_TIME_ZONE });
      return d.hour + d.minute / 60;
    };
    const fromT = Math.floor(Date.now() / 1000) - 12 * 3600;
    const payload = (r: { t: number; value: number; seq: number }) => JSON.stringify({ t: r.t, value: r.value, unit: 'm', seq: r.seq });
    // East writes, as if it were west, a leak on west's sensors (the stream that opens an incident in
    // water-leak-over-mqtt-opens-one-incident...spec.ts), then one reading the CAD would dead-letter.
    // MQTT 5 lets the broker say so: every PUBACK is 0x87 "not authorised".
    const forged = leakReplay(spec, h, hour, { fromT, steps: 20, stepS: 1800, leakNode: '21', leakShare: 0.08, leakFromT: fromT + 8 * 1800 }).filter((r) => west.includes(r.sensor));
    for (const r of forged) await expect(gwEast.publishAsync(`city/hanoi/${r.sensor}/pressure`, payload(r), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    // In MQTT 3.1.1 the broker cannot say so: it acknowledges and drops.
    const east311 = await mqtt.connectAsync(url, { clientId: 'gw-hanoi-east-311', username: 'gw-hanoi-east', password: users['gw-hanoi-east'], reconnectPeriod: 0 });
    try {
      for (const r of forged.slice(-west.length)) await east311.publishAsync(`city/hanoi/${r.sensor}/pressure`, payload({ ...r, t: r.t + 1 }), { qos: 1 });
    } finally {
      await east311.endAsync();
    }
    await expect(gwEast.publishAsync('city/hanoi/P-17/pressure', reading(1e6), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    // Nor may a gateway forge a dead letter or invent a sensor outside its ACL.
    await expect(gwEast.publishAsync('city/deadletter', JSON.stringify({ topic: 'x', field: 'forged' }), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(gwWest.publishAsync('city/hanoi/P-99/pressure', reading(50), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    // Then each writes its own sensors (one leak-free step), and east one out-of-range reading: the CAD
    // gets these, after the refused ones.
    const own = leakReplay(spec, h, hour, { fromT: fromT + 20 * 1800, steps: 1, stepS: 1800, leakNode: '21', leakShare: 0.08, leakFromT: Infinity });
    for (const r of own) await (east.includes(r.sensor) ? gwEast : gwWest).publishAsync(`city/hanoi/${r.sensor}/pressure`, payload(r), { qos: 1 });
    await gwEast.publishAsync('city/hanoi/P-2/pressure', reading(1e6), { qos: 1 });
    await waitFor(async () => svc.counts.received - before.received >= own.length + 1 || undefined, 10000, 'own readings received');
    await waitFor(async () => dead.length >= 1 || undefined, 10000, 'dead letter of the wild own reading');
    await svc.drained();
    expect(forged.length).toBe(20 * west.length);
    expect(svc.counts.received - before.received).toBe(own.length + 1);
    expect(svc.counts.accepted - before.accepted).toBe(own.length);
    expect(dead).toEqual([expect.objectContaining({ topic: 'city/hanoi/P-2/pressure', field: 'value' })]);
    const rows = await t.ds.query(`SELECT sensor, extract(epoch FROM t)::int AS t, value FROM sensor_reading ORDER BY sensor`);
    expect(rows).toEqual(own.map((r) => ({ sensor: r.sensor, t: r.t, value: r.value })).sort((a, b) => a.sensor.localeCompare(b.sensor)));
    expect(await t.ds.query(`SELECT id FROM call WHERE source = 'sensor'`)).toEqual([]);
    expect(await t.ds.query(`SELECT id FROM incident`)).toEqual([]);
    // Refused publications do not cost a gateway its connection.
    expect(gwEast.connected && gwWest.connected).toBe(true);
  });
});
