import { parseReading, planeToWgs84, ReadingRefused, WATER_LEAK_TYPE } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import mqtt, { MqttClient } from 'mqtt';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CallsService } from '../calls/calls.service';
import { AppConfig } from '../config/config';
import { DegradedRegistry } from '../platform/health/degraded.registry';
import { Hydraulics } from './hydraulics';
import { NetworkSpec, readLifelinesFile } from './lifelines-file';
import { networkView, NetworkView } from './network-view';
import { LeakEvidence, NetworkDetector } from './network-detector';
import { SensorWatch, silenceCheckMs, SilentAlarm } from './sensor-watch';
import { sensorKey, TelemetryStore } from './telemetry.store';


/** Counts of the sensor channel since the process started. */
export interface ChannelCounts {
  received: number;
  accepted: number;
  /** Repeats (QoS 1 redelivery, a gateway resending): a reading not newer than the sensor's last. */
  duplicates: number;
  /** Refused, by the field named in the refusal (`topic`, `payload`, `t`, `value`, `unit`, `seq`, `sensor`). */
  refused: Record<string, number>;
}

/** A suspected leak as kept by this process. */
export interface LeakAlarm {
  network: string;
  since: string;
  lastEvidence: string;
  callNumber: string;
  callId: string | null;
  location: { lat: number; lon: number };
  /** Radius around `location` holding the three best candidate junctions, metres. */
  uncertaintyM: number;
  candidates: { node: string; score: number }[];
  deficitM: number;
  standIn: boolean;
}

/**
 * The lifelines sensor channel: subscribes (QoS 1, persistent session) to
 * `<MQTT_TOPIC_PREFIX>/<network>/<sensor>/<quantity>`, validates each reading, refuses bad ones to
 * `<prefix>/deadletter` (counted and logged, never a crash), feeds pressure readings to the network's
 * {@link NetworkDetector}, and turns a suspected leak into a call for service (source `sensor`) through
 * the normal intake, one call per leak (call number `LEAK-<network>-<since>`). Runs where the workers
 * run (`RUN_WORKERS`) when `LIFELINES_ENABLED`; detector state is per process.
 */
@Injectable()
export class LifelinesService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Lifelines');
  private client: MqttClient | null = null;
  private readonly networks = new Map<string, { spec: NetworkSpec; detector: NetworkDetector; hydraulics: Hydraulics }>();
  private watch: SensorWatch = new SensorWatch([], 1, 0);
  private readonly timers: NodeJS.Timeout[] = [];
  readonly counts: ChannelCounts = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    refused: {},
  };
  readonly alarms = new Map<string, LeakAlarm>();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly calls: CallsService,
    private readonly degraded: DegradedRegistry,
    private readonly telemetry: TelemetryStore,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.RUN_WORKERS || !this.config.LIFELINES_ENABLED) return;
    const file = readLifelinesFile(this.config.LIFELINES_FILE);
    const zone = this.config.DATA_TIME_ZONE;
    const hourOfDay = (t: number) => {
      const d = DateTime.fromSeconds(t, { zone });
      return d.hour + d.minute / 60;
    };
    for (const spec of file.networks) {
      if (spec.kind !== 'water' || !spec.inpFile) continue;
      const inp = fs.readFileSync(path.resolve(this.config.LIFELINES_DIR, spec.inpFile), 'utf8');
      const hydraulics = await Hydraulics.load(inp);
      this.networks.set(spec.id, {
        spec,
        hydraulics,
        detector: new NetworkDetector(spec, hydraulics, hourOfDay),
      });
    }
    const specs = [...this.networks.values()].map((n) => n.spec);
    const listed = specs.flatMap((n) => n.sensors.map((x) => ({ network: n.id, sensor: x.id, quantity: x.quantity })));
    // Seeded from the stored telemetry: a reading redelivered after this process restarted is still a repeat.
    this.watch = new SensorWatch(specs, this.config.LIFELINES_SILENT_AFTER_PERIODS, Date.now() / 1000, await this.telemetry.newest(listed));
    this.timers.push(
      // Often enough to see the shortest silence limit within a quarter of it; at least every minute.
      setInterval(() => this.checkSilence(), silenceCheckMs(specs, this.config.LIFELINES_SILENT_AFTER_PERIODS)).unref(),
      setInterval(() => void this.telemetry.prune().catch((e: Error) => this.log.warn(`telemetry prune failed: ${e.message}`)), 3_600_000).unref(),
    );
    const prefix = this.config.MQTT_TOPIC_PREFIX;
    this.client = mqtt.connect(this.config.MQTT_URL ?? 'mqtt://127.0.0.1:1883', {
      clientId: this.config.MQTT_CLIENT_ID ?? `cad-${this.config.REDIS_PREFIX.replace(/[^A-Za-z0-9_.-]/g, '-')}`.slice(0, 64),
      clean: false,
      protocolVersion: 5,
      properties: {
        sessionExpiryInterval: this.config.MQTT_SESSION_EXPIRY_S,
      },
      username: this.config.MQTT_USERNAME,
      password: this.config.MQTT_PASSWORD,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    this.client.on('connect', () => {
      // Subscribed on every connect: a resumed session keeps it, but a broker that lost its session store
      // (no persistence, or a persistence folder it cannot write) would not; subscribing again is harmless.
      this.client!.subscribe(`${prefix}/+/+/+`, { qos: 1 }, (e) => e && this.log.warn(`subscribe failed: ${e.message}`));
    });
    this.client.on('error', (e) => this.log.warn(`MQTT: ${e.message}`));
    this.client.on('message', (topic, payload) => {
      this.pending = this.pending.then(() => this.handle(topic, payload)).catch((e: Error) => this.log.error(`reading on ${topic} not handled: ${e.message}`));
    });
    this.degraded.register('lifelines-mqtt', () =>
      this.client && !this.client.connected ? `MQTT broker ${this.config.MQTT_URL ?? 'mqtt://127.0.0.1:1883'} not connected: sensor readings wait at the broker` : null,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach((t) => clearInterval(t));
    await this.pending;
    if (this.client) await this.client.endAsync();
    await this.telemetry.flush();
  }

  /** Sensors silent now ("sensor silent" alarms, a maintenance matter: no incident), by sensor key. */
  get silent(): ReadonlyMap<string, SilentAlarm> {
    return this.watch.silent;
  }

  /**
   * Raises a "sensor silent" alarm for each listed sensor whose newest reading is older than
   * `LIFELINES_SILENT_AFTER_PERIODS` of its periods (run every minute or more often, see
   * `silenceCheckMs`; tests pass their own present).
   * @param nowS the present, epoch seconds
   * @returns the alarms raised by this check
   */
  checkSilence(nowS = Date.now() / 1000): SilentAlarm[] {
    const raised = this.watch.check(nowS);
    for (const a of raised) this.log.warn(`sensor silent: ${a.network}/${a.sensor} (${a.quantity}) has not reported for over ${a.limitS} s (last reading ${a.lastReading ?? 'never'})`);
    return raised;
  }

  /** The network, its sensors' states and positions, for the console's lifelines layer (see `networkView`). */
  views(): NetworkView[] {
    return [...this.networks.values()].map((n) => networkView(n.spec, n.hydraulics, n.detector, this.watch, this.alarms.has(n.spec.id)));
  }

  /**
   * Dismisses the open suspected leak of a network: its charts restart, so a reading that is still (or
   * more) wrong opens a new one (a dismissal never mutes a worsening leak).
   * @returns false when none is open
   */
  dismiss(network: string): boolean {
    const net = this.networks.get(network);
    if (!net?.detector.openLeak) return false;
    net.detector.close();
    this.alarms.delete(network);
    return true;
  }

  /** Readings written to the telemetry table, repeats its key refused, readings lost to a full buffer. */
  get storedCounts(): { stored: number; repeats: number; unstored: number } {
    return this.telemetry.counts;
  }

  /** True while the subscriber is connected to the broker. */
  get connected(): boolean {
    return !!this.client?.connected;
  }

  /** Resolves when every message received so far has been handled and its reading stored (tests and the benchmark). */
  async drained(): Promise<void> {
    await this.pending;
    await this.telemetry.flush();
  }

  /**
   * Handles one MQTT message: validate, de-duplicate, detect, and open or update a leak call.
   * Never throws for a bad message: it is counted, logged and sent to the dead-letter topic.
   */
  async handle(topic: string, payload: Buffer): Promise<void> {
    this.counts.received++;
    const prefix = this.config.MQTT_TOPIC_PREFIX;
    let reading;
    try {
      reading = parseReading(prefix, topic, payload, Date.now() / 1000);
      const net = this.networks.get(reading.network);
      if (!net || !net.spec.sensors.some((s) => s.id === reading!.sensor && s.quantity === reading!.quantity)) {
        throw new ReadingRefused('sensor', `${reading.network}/${reading.sensor}/${reading.quantity} is not a listed sensor`);
      }
    } catch (e) {
      const field = e instanceof ReadingRefused ? e.field : 'payload';
      this.counts.refused[field] = (this.counts.refused[field] ?? 0) + 1;
      this.log.warn(`reading on ${topic} refused: ${(e as Error).message}`);
      this.client?.publish(
        `${prefix}/deadletter`,
        JSON.stringify({
          topic,
          payload: payload.toString('utf8').slice(0, 4096),
          error: (e as Error).message,
          field,
          at: new Date().toISOString(),
        }),
        { qos: 1 },
      );
      return;
    }
    const heard = this.watch.heard(sensorKey(reading), reading.t);
    if (heard.kind === 'repeat') {
      this.counts.duplicates++;
      return;
    }
    if (heard.cleared) this.log.log(`sensor ${reading.network}/${reading.sensor} reports again: silent alarm cleared`);
    this.counts.accepted++;
    this.telemetry.add(reading, Date.now() / 1000);
    const net = this.networks.get(reading.network)!;
    if (reading.quantity !== 'pressure') return;
    const ev = net.detector.add(reading.sensor, reading.t, reading.value);
    if (ev) await this.raise(net.spec, ev);
  }

  private async raise(spec: NetworkSpec, ev: LeakEvidence): Promise<void> {
    const g = spec.georeference;
    const plane = this.networks.get(spec.id)!.hydraulics.coordinates;
    const hydraulicsCoords = (node: string) => {
      const c = plane.get(node)!;
      return planeToWgs84(g, c[0], c[1]);
    };
    const location = hydraulicsCoords(ev.candidates[0].node);
    const uncertaintyM = Math.max(50, ...ev.candidates.map((c) => (({ lat, lon }) => haversineMetres(location.lat, location.lon, lat, lon))(hydraulicsCoords(c.node))));
    const callNumber = `LEAK-${spec.id}-${Math.round(ev.since)}`;
    const prev = this.alarms.get(spec.id);
    const alarm: LeakAlarm = {
      network: spec.id,
      since: new Date(ev.since * 1000).toISOString(),
      lastEvidence: new Date(ev.t * 1000).toISOString(),
      callNumber,
      callId: prev?.callNumber === callNumber ? prev.callId : null,
      location,
      uncertaintyM,
      candidates: ev.candidates,
      deficitM: ev.deficitM,
      standIn: spec.standIn,
    };
    this.alarms.set(spec.id, alarm);
    if (ev.kind !== 'opened') {
      this.log.warn(`suspected leak on ${spec.id} updated: best junction ${ev.candidates[0].node}, deficit ${ev.deficitM.toFixed(2)} m`);
      return;
    }
    const { id } = await this.calls.accept({
      callNumber,
      type: WATER_LEAK_TYPE,
      priority: 2,
      lat: location.lat,
      lon: location.lon,
      source: 'sensor',
      notes:
        `${spec.standIn ? 'STAND-IN NETWORK (benchmark model drawn over the city, not its real mains). ' : ''}` +
        `Pressure below the model's expectation on ${spec.name}: ${ev.chart.toUpperCase()} chart of sensor ${ev.sensor} crossed; ` +
        `deficit ${ev.deficitM.toFixed(2)} m; likely junctions ${ev.candidates.map((c) => `${c.node} (${c.score.toFixed(2)})`).join(', ')}; ` +
        `location uncertain within ${Math.round(uncertaintyM)} m.`,
    });
    alarm.callId = id;
  }
}
