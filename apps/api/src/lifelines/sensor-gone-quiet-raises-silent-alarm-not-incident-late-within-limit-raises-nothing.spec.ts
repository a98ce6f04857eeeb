import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { readLifelinesFile } from './lifelines-file';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { LifelinesService } from './lifelines.service';
import { machineBrokerEnv } from './machine-broker-test-env';

/** On the machine's broker (127.0.0.1:1883), under a topic prefix of this run only. Periods: 1800 s; silent after 3. */
describe('a sensor that goes quiet', () => {
  const prefix = `test22s/${randomBytes(5).toString('hex')}`;
  let t: TestApp;
  let pub: mqtt.MqttClient;
  let svc: LifelinesService;
  // Readings may not be from the future (5 minutes' grace): the story is told in the last four hours.
  const now = Math.floor(Date.now() / 1000) - 4 * 1800;
  let sensors: string[];
  let sent = 0;
  const send = async (sensor: string, at: number) => {
    sent++;
    await pub.publishAsync(`${prefix}/hanoi/${sensor}/pressure`, JSON.stringify({ t: at, value: 90, unit: 'm' }), { qos: 1 });
  };
  const handled = async () => {
    await waitFor(async () => svc.counts.accepted + svc.counts.duplicates >= sent || undefined, 20000, 'readings handled');
    await svc.drained();
  };

  beforeAll(async () => {
    t = await startTestApp('lifelines-silent', machineBrokerEnv(prefix, { LIFELINES_SILENT_AFTER_PERIODS: '3' }));
    svc = t.app.get(LifelinesService);
    await waitFor(async () => svc.connected || undefined, 10000, 'subscriber connected');
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `test22s-pub-${randomBytes(4).toString('hex')}` });
    sensors = readLifelinesFile(t.config.LIFELINES_FILE)
      .networks.find((n) => n.id === 'hanoi')!
      .sensors.filter((s) => s.quantity === 'pressure')
      .map((s) => s.id);
  });
  afterAll(async () => {
    await pub?.endAsync();
    await t?.close();
  });

  it('every sensor reporting, one of them late but within three periods: nothing is silent', async () => {
    for (const s of sensors) await send(s, s === 'P-30' ? now - 3 * 1800 + 30 : now - 60);
    await handled();
    expect(svc.checkSilence(now)).toEqual([]);
    expect((await t.request('GET', '/api/lifelines')).body.silent).toEqual([]);
  });

  it('P-30 sends nothing more while the others report: past three periods it is silent, once, with no leak alarm and no incident', async () => {
    const later = now + 2 * 1800;
    for (const s of sensors.filter((x) => x !== 'P-30')) await send(s, later - 60);
    await handled();
    // Within the limit still (its last reading at now − 5370 s, the limit 5400 s): nothing.
    expect(svc.checkSilence(now + 20)).toEqual([]);
    const raised = svc.checkSilence(later);
    expect(raised.map((a) => a.sensor)).toEqual(['P-30']);
    expect(raised[0]).toMatchObject({ network: 'hanoi', quantity: 'pressure', limitS: 5400, lastReading: new Date((now - 3 * 1800 + 30) * 1000).toISOString() });
    // Raised once: the next check does not repeat it.
    expect(svc.checkSilence(later + 60)).toEqual([]);
    const state = (await t.request('GET', '/api/lifelines')).body;
    expect(state.silent.map((a: { sensor: string }) => a.sensor)).toEqual(['P-30']);
    expect(state.alarms).toEqual([]);
    const view = (await t.request('GET', '/api/lifelines/networks')).body;
    const shown = view[0].sensors.map((s: { id: string; state: string }) => [s.id, s.state]);
    expect(shown.filter(([, st]: string[]) => st !== 'ok')).toEqual([['P-30', 'silent']]);
    expect(await t.ds.query(`SELECT id FROM call WHERE source = 'sensor'`)).toEqual([]);
  });

  it('P-30 reports again: its silent alarm clears and it is drawn as ok', async () => {
    await send('P-30', now + 2 * 1800 - 30);
    await handled();
    expect(svc.silent.size).toBe(0);
    expect((await t.request('GET', '/api/lifelines')).body.silent).toEqual([]);
    const view = (await t.request('GET', '/api/lifelines/networks')).body;
    expect(view[0].sensors.find((s: { id: string }) => s.id === 'P-30').state).toBe('ok');
  });
});
