import { planeToWgs84 } from '@cad/domain';
import type { Hydraulics } from './hydraulics';
import type { NetworkSpec } from './lifelines-file';
import type { NetworkDetector } from './network-detector';
import type { SensorWatch } from './sensor-watch';
import { sensorKey } from './telemetry.store';

/** A sensor's state on the map: reporting and in control, out of control (leak charts), or silent. */
export type SensorState = 'ok' | 'alarm' | 'silent';

/** One network as the console draws it (WGS84 degrees; `standIn` must be said wherever it is drawn). */
export interface NetworkView {
  id: string;
  name: string;
  kind: 'water' | 'gas';
  standIn: boolean;
  /** Each pipe as `[[lat, lon], [lat, lon]]`, straight between its end nodes. */
  pipes: [[number, number], [number, number]][];
  sensors: {
    id: string;
    quantity: string;
    node: string;
    lat: number;
    lon: number;
    state: SensorState;
    /** Measurement instant of its newest reading (ISO 8601), null when none. */
    lastReading: string | null;
  }[];
}

/**
 * A network placed in the city by its georeference, with each sensor's state: `silent` when it has
 * passed its silence limit (see {@link SensorWatch}), else `alarm` when its network has a suspected
 * leak open and its own charts are beyond their limits, else `ok`. A sensor on a pipe (flow) is drawn at
 * the pipe's middle.
 * @param leakOpen whether the network has a suspected leak open
 */
export function networkView(spec: NetworkSpec, h: Hydraulics, detector: NetworkDetector, watch: SensorWatch, leakOpen: boolean): NetworkView {
  const at = (node: string): [number, number] | null => {
    const c = h.coordinates.get(node);
    if (!c) return null;
    const p = planeToWgs84(spec.georeference, c[0], c[1]);
    return [p.lat, p.lon];
  };
  const pipes: NetworkView['pipes'] = [];
  const middle = new Map<string, [number, number]>();
  for (const [id, from, to] of h.pipes) {
    const a = at(from);
    const b = at(to);
    if (!a || !b) continue;
    pipes.push([a, b]);
    middle.set(id, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  }
  const sensors: NetworkView['sensors'] = [];
  for (const s of spec.sensors) {
    const p = at(s.node) ?? middle.get(s.node);
    if (!p) continue;
    const key = sensorKey({ network: spec.id, sensor: s.id, quantity: s.quantity });
    const last = watch.newest(key);
    const state: SensorState = watch.silent.has(key) ? 'silent' : leakOpen && detector.outOfControl(s.id) ? 'alarm' : 'ok';
    sensors.push({ id: s.id, quantity: s.quantity, node: s.node, lat: p[0], lon: p[1], state, lastReading: last === null ? null : new Date(last * 1000).toISOString() });
  }
  return { id: spec.id, name: spec.name, kind: spec.kind, standIn: spec.standIn, pipes, sensors };
}
