import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { LifelinesService } from './lifelines.service';
import { machineBrokerEnv } from './machine-broker-test-env';
import { TelemetryStore } from './telemetry.store';

/** On the machine's broker (127.0.0.1:1883), under a topic prefix of this run only. */
describe('lifeline telemetry in Postgres: each reading stored once, across a restart too, and pruned past retention', () => {
  const prefix = `test22t/${randomBytes(5).toString('hex')}`;
  const env = machineBrokerEnv(prefix, { MQTT_CLIENT_ID: `test22t-${randomBytes(4).toString('hex')}`, TELEMETRY_RETENTION_DAYS: '7' });
  let t: TestApp;
  let pub: mqtt.MqttClient;
  const now = Math.floor(Date.now() / 1000);
  const send = (sensor: string, at: number, value: number, seq?: number) =>
    pub.publishAsync(`${prefix}/hanoi/${sensor}/pressure`, JSON.stringify({ t: at, value, unit: 'm', ...(seq === undefined ? {} : { seq }) }), { qos: 1 });
  const handled = (svc: LifelinesService, n: number) => waitFor(async () => svc.counts.accepted + svc.counts.duplicates + Object.values(svc.counts.refused).reduce((a, b) => a + b, 0) >= n || undefined, 20000, `${n} readings handled`);
  const rows = async (): Promise<{ sensor: string; t: number; value: number; seq: string | null }[]> =>
    t.ds.query(`SELECT sensor, extract(epoch FROM t)::float8 AS t, value, seq FROM sensor_reading ORDER BY sensor, t`);

  beforeAll(async () => {
    t = await startTestApp('lifelines-telemetry', env);
    await waitFor(async () => t.app.get(LifelinesService).connected || undefined, 10000, 'subscriber connected');
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `test22t-pub-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await pub?.endAsync();
    await t?.close();
  });

  it('stores every accepted reading once with its time, value and seq; a QoS 1 repeat is neither stored nor counted; a refused one is not stored', async () => {
    const svc = t.app.get(LifelinesService);
    for (let i = 0; i < 6; i++) {
      await send('P-30', now - (6 - i) * 1800, 90 + i, i);
      await send('P-30', now - (6 - i) * 1800, 90 + i, i); // the same message again
    }
    await send('P-2', now - 10 * 86400, 80); // older than the 7 days kept
    await send('P-30', now, Number.MAX_VALUE); // out of physical range: refused
    await handled(svc, 14);
    await svc.drained();
    expect(svc.counts.accepted).toBe(7);
    expect(svc.counts.duplicates).toBe(6);
    const stored = await rows();
    expect(stored).toHaveLength(7);
    expect(stored.filter((r) => r.sensor === 'P-30').map((r) => [r.t, r.value, r.seq])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [now - (6 - i) * 1800, 90 + i, String(i)]));
    expect(svc.storedCounts.stored).toBe(7);
  });

  it('prunes readings measured before the retention period and keeps the rest', async () => {
    const before = await rows();
    // Kept 7 days: the 10-day-old reading goes, the 3-hour-old ones stay.
    const deleted = await t.app.get(TelemetryStore).prune(now);
    expect(deleted).toBe(1);
    const after = await rows();
    expect(after).toEqual(before.filter((r) => r.sensor !== 'P-2'));
    expect(after.every((r) => r.t >= now - 7 * 86400)).toBe(true);
  });

  it('after the subscriber restarts, a reading it already stored and gets again is a repeat; a new one is stored', async () => {
    const databaseUrl = t.config.DATABASE_URL!;
    await t.close();
    t = await startTestApp('lifelines-telemetry', env, { databaseUrl });
    const svc = t.app.get(LifelinesService);
    await waitFor(async () => svc.connected || undefined, 10000, 'subscriber connected again');
    await send('P-30', now - 1800, 95, 5); // stored before the restart
    await send('P-30', now - 60, 97, 6);
    await handled(svc, 2);
    await svc.drained();
    expect(svc.counts.duplicates).toBe(1);
    expect(svc.counts.accepted).toBe(1);
    const stored = await rows();
    expect(stored.filter((r) => r.sensor === 'P-30').map((r) => r.value)).toEqual([90, 91, 92, 93, 94, 95, 97]);
  });
});
