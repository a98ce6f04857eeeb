import { createDataSource, importCity, readCityProfile } from '@cad/db';
import { cloneTestDatabase } from '@cad/db/testing';
import { DateTime } from 'luxon';
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { Hydraulics } from './hydraulics';
import { leakReplay } from './leak-replay';
import { readLifelinesFile } from './lifelines-file';
import { LifelinesService } from './lifelines.service';
import { machineBrokerEnv } from './machine-broker-test-env';

/** On the machine's broker (127.0.0.1:1883), under a topic prefix of this run only. */
describe('lifelines over MQTT: a replayed leak opens one incident; bad readings are dead-lettered', () => {
  const prefix = `test22/${randomBytes(5).toString('hex')}`;
  let t: TestApp;
  let pub: mqtt.MqttClient;
  const dead: { field: string; topic: string }[] = [];

  beforeAll(async () => {
    // The city imports its illustrative fleet too: a water utility crew (ILLUS-WATER-1) answers leaks.
    const databaseUrl = await cloneTestDatabase('lifelines-mqtt');
    const ds = createDataSource(databaseUrl);
    await ds.initialize();
    const config = loadConfig(process.env);
    const profile = readCityProfile(config.CITY_PROFILE);
    profile.timeZone = config.DATA_TIME_ZONE;
    await importCity(ds, profile, { dataDir: config.DATA_DIR, illustrative: true });
    await ds.destroy();
    t = await startTestApp('lifelines-mqtt', machineBrokerEnv(prefix), { databaseUrl });
    await waitFor(async () => t.app.get(LifelinesService).connected || undefined, 10000, 'subscriber connected');
    pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
      clientId: `test22-pub-${randomBytes(4).toString('hex')}`,
    });
    await pub.subscribeAsync(`${prefix}/deadletter`, { qos: 1 });
    pub.on('message', (topic, payload) => {
      if (topic === `${prefix}/deadletter`) dead.push(JSON.parse(payload.toString()));
    });
    // A subscription made just now: wait until the broker has it (a probe that must come back dead-lettered).
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => {
    await pub?.endAsync();
    await t?.close();
  });

  it('refuses non-JSON, NaN, out-of-range, wrong-unit, unknown-sensor and unknown-field readings to the dead-letter topic, counted, without stopping', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad: [string, string, string][] = [
      ['hanoi/P-30/pressure', 'not json', 'payload'],
      ['hanoi/P-30/pressure', '{"t": 1, "value": "NaN", "unit": "m"}', 't'],
      ['hanoi/P-30/pressure', JSON.stringify({ t: now, value: 'NaN', unit: 'm' }), 'value'],
      ['hanoi/P-30/pressure', JSON.stringify({ t: now, value: 1e6, unit: 'm' }), 'value'],
      ['hanoi/P-30/pressure', JSON.stringify({ t: now, value: 50, unit: 'psi' }), 'unit'],
      ['hanoi/P-99/pressure', JSON.stringify({ t: now, value: 50, unit: 'm' }), 'sensor'],
      ['hanoi/P-30/pressure', JSON.stringify({ t: now, value: 50, unit: 'm', extra: 1 }), 'extra'],
      ['hanoi/P-30/voltage', JSON.stringify({ t: now, value: 50, unit: 'm' }), 'topic'],
      ['hanoi/P-30/pressure', JSON.stringify({ t: now + 3600, value: 50, unit: 'm' }), 't'],
    ];
    for (const [topic, payload] of bad) await pub.publishAsync(`${prefix}/${topic}`, payload, { qos: 1 });
    await waitFor(async () => dead.length >= bad.length || undefined, 10000, 'dead letters');
    expect(dead.map((d) => d.field).sort()).toEqual(bad.map((b) => b[2]).sort());
    const svc = t.app.get(LifelinesService);
    expect(Object.values(svc.counts.refused).reduce((a, b) => a + b, 0)).toBe(bad.length);
    expect(svc.counts.accepted).toBe(0);
    expect(svc.connected).toBe(true);
  });

  it('a leak replayed at 30-minute steps, every reading sent twice, opens exactly one sensor incident at the network, and the water utility crew is sent', async () => {
    const spec = readLifelinesFile(t.config.LIFELINES_FILE).networks.find((n) => n.id === 'hanoi')!;
    const h = await Hydraulics.load(fs.readFileSync(path.resolve(t.config.LIFELINES_DIR, spec.inpFile!), 'utf8'));
    const hour = (s: number) => {
      const d = DateTime.fromSeconds(s, { zone: t.config.DATA_TIME_ZONE });
      return d.hour + d.minute / 60;
    };
    const fromT = Math.floor(Date.now() / 1000) - 12 * 3600;
    const readings = leakReplay(spec, h, hour, {
      fromT,
      steps: 20,
      stepS: 1800,
      leakNode: '21',
      leakShare: 0.08,
      leakFromT: fromT + 8 * 1800,
    });
    for (const r of readings) {
      const payload = JSON.stringify({
        t: r.t,
        value: r.value,
        unit: 'm',
        seq: r.seq,
      });
      await pub.publishAsync(`${prefix}/hanoi/${r.sensor}/pressure`, payload, {
        qos: 1,
      });
      await pub.publishAsync(`${prefix}/hanoi/${r.sensor}/pressure`, payload, {
        qos: 1,
      });
    }
    const svc = t.app.get(LifelinesService);
    await waitFor(async () => svc.counts.accepted + svc.counts.duplicates >= readings.length * 2 || undefined, 20000, 'readings handled');
    await svc.drained();
    expect(svc.counts.accepted).toBe(readings.length);
    expect(svc.counts.duplicates).toBe(readings.length);
    // Stored once each, though sent twice.
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM sensor_reading`))[0].n).toBe(readings.length);
    const calls = await waitFor(
      async () => {
        const rows = await t.ds.query(`SELECT id, call_number, type, source, incident_id FROM call WHERE source = 'sensor'`);
        return rows.length && rows.every((r: { incident_id: string | null }) => r.incident_id) ? rows : undefined;
      },
      20000,
      'sensor call placed',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].type).toBe('Water main leak suspected');
    expect(calls[0].call_number).toMatch(/^LEAK-hanoi-\d+$/);
    // Flagged only after the leak began (no false alarm on the leak-free hours).
    expect(Number(calls[0].call_number.split('-')[2])).toBeGreaterThanOrEqual(fromT + 8 * 1800);
    const alarm = svc.alarms.get('hanoi')!;
    expect(alarm.standIn).toBe(true);
    expect(alarm.candidates.map((c) => c.node)).toContain('21');
    const incident = await t.incidentOf(calls[0].id, true);
    expect(incident.id).toBe(calls[0].incident_id);
    // The run card names the water utility crew the fleet has. San Francisco's water utility is dispatched by
    // request (city profile): the crew is asked of the utility's post, which sends its own unit.
    expect((await t.request('GET', `/api/response-plans/${encodeURIComponent('Water main leak suspected')}`)).body.slots).toEqual({ water_crew: 1 });
    const request = await waitFor(
      async () => (await t.ds.query(`SELECT id, agency, capability, status FROM agency_request WHERE incident_id = $1`, [incident.id]))[0] as { id: string; agency: string; capability: string; status: string } | undefined,
      30000,
      'water crew requested of the utility',
    );
    expect(request).toMatchObject({ agency: 'water_utility', capability: 'water_crew', status: 'open' });
    expect((await t.request('POST', `/api/agency-requests/${request.id}/accept`, { unitId: 'ILLUS-WATER-1' })).status).toBeLessThan(300);
    const crew = await waitFor(
      async () => (await t.ds.query(`SELECT unit_id, capability FROM assignment WHERE incident_id = $1`, [incident.id]))[0] as { unit_id: string; capability: string } | undefined,
      30000,
      'water crew assigned',
    );
    expect(crew).toEqual({ unit_id: 'ILLUS-WATER-1', capability: 'water_crew' });
    const state = await t.request('GET', '/api/lifelines');
    expect(state.body.alarms).toHaveLength(1);
    // Dismissed: the charts restart; a dismissal of nothing is a 404 naming the network.
    expect((await t.request('POST', '/api/lifelines/hanoi/dismiss')).status).toBe(200);
    expect((await t.request('POST', '/api/lifelines/hanoi/dismiss')).status).toBe(404);
  });
});
