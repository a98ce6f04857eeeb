import { silentSensors } from '@cad/domain';
import type { NetworkSpec } from './lifelines-file';
import { sensorKey } from './telemetry.store';

/** A sensor's "sensor silent" alarm (a maintenance matter, not a leak incident). */
export interface SilentAlarm {
  network: string;
  sensor: string;
  quantity: string;
  /** Measurement instant of its newest reading (ISO 8601), null when it never reported. */
  lastReading: string | null;
  /** When this process found it silent (ISO 8601). */
  since: string;
  /** The limit it passed: the silence multiple × its period, seconds. */
  limitS: number;
}

/**
 * What this process has heard from each listed sensor: the newest measurement instant (a reading not
 * newer is a repeat, never counted twice), and which sensors are silent (see `silentSensors` in
 * `@cad/domain`). A silent sensor's alarm clears with its next new reading.
 */
export class SensorWatch {
  private readonly last = new Map<string, number>();
  private readonly sensors: { key: string; network: string; sensor: string; quantity: string; periodS: number }[];
  readonly silent = new Map<string, SilentAlarm>();

  /**
   * @param specs the networks whose sensors are watched
   * @param multiple periods of silence that make a sensor silent (`LIFELINES_SILENT_AFTER_PERIODS`)
   * @param watchingSinceS when listening began, epoch seconds
   * @param newest newest stored measurement instant by sensor key (from the telemetry table)
   */
  constructor(
    specs: NetworkSpec[],
    private readonly multiple: number,
    private readonly watchingSinceS: number,
    newest: Map<string, number> = new Map(),
  ) {
    this.sensors = specs.flatMap((n) => n.sensors.map((s) => ({ network: n.id, sensor: s.id, quantity: s.quantity, periodS: s.periodS, key: sensorKey({ network: n.id, sensor: s.id, quantity: s.quantity }) })));
    for (const [k, t] of newest) this.last.set(k, t);
  }

  /**
   * Notes a reading.
   * @returns `repeat` when it is not newer than the sensor's newest (a QoS 1 redelivery, a resend);
   *   `new` otherwise, and then `cleared` is true when the sensor was silent until now
   */
  heard(key: string, t: number): { kind: 'repeat' } | { kind: 'new'; cleared: boolean } {
    if ((this.last.get(key) ?? -Infinity) >= t) return { kind: 'repeat' };
    this.last.set(key, t);
    return { kind: 'new', cleared: this.silent.delete(key) };
  }

  /** Newest measurement instant of a sensor, epoch seconds, or null. */
  newest(key: string): number | null {
    return this.last.get(key) ?? null;
  }

  /**
   * Finds the sensors silent at `nowS` and raises an alarm for each one not already silent.
   * @returns the alarms raised by this check (already-silent sensors are not repeated)
   */
  check(nowS: number): SilentAlarm[] {
    const found = silentSensors(
      this.sensors.map((s) => ({ key: s.key, periodS: s.periodS, lastT: this.last.get(s.key) ?? null })),
      nowS,
      this.multiple,
      this.watchingSinceS,
    );
    const raised: SilentAlarm[] = [];
    for (const f of found) {
      if (this.silent.has(f.key)) continue;
      const s = this.sensors.find((x) => x.key === f.key)!;
      const lastT = this.last.get(f.key);
      const alarm: SilentAlarm = {
        network: s.network,
        sensor: s.sensor,
        quantity: s.quantity,
        lastReading: lastT === undefined ? null : new Date(lastT * 1000).toISOString(),
        since: new Date(nowS * 1000).toISOString(),
        limitS: f.limitS,
      };
      this.silent.set(f.key, alarm);
      raised.push(alarm);
    }
    return raised;
  }
}

/**
 * How often to look for silent sensors, milliseconds: a quarter of the shortest silence limit
 * (`multiple` × the shortest period), between 1 s and 60 s.
 */
export function silenceCheckMs(specs: NetworkSpec[], multiple: number): number {
  const shortest = Math.min(...specs.flatMap((n) => n.sensors.map((s) => s.periodS)), Infinity);
  return Math.round(Math.min(60, Math.max(1, (shortest * multiple) / 4)) * 1000);
}
