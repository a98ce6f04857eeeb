import { Hydraulics } from './hydraulics';
import { NetworkSpec, patternMultiplier } from './lifelines-file';
import { NetworkDetector } from './network-detector';

/** One sensor reading to publish: topic suffix `<network>/<sensor>/pressure` and its payload. */
export interface ReplayReading {
  sensor: string;
  t: number;
  value: number;
  seq: number;
}

/**
 * Simulated pressure readings of every pressure sensor of a network, every `stepS` seconds from `fromT`
 * (epoch s): the model's pressure at the demand pattern's multiplier for that local hour (the same
 * expectation the detector uses), with a leak (EPANET emitter) at `leakNode` of `leakShare` × mean
 * demand from `leakFromT` on, plus a deterministic small sensor noise (±`noiseM`, a fixed sawtooth) so
 * series are not exactly the model.
 * @returns readings in time order, sensors interleaved per step
 */
export function leakReplay(
  spec: NetworkSpec,
  h: Hydraulics,
  hourOfDay: (t: number) => number,
  o: {
    fromT: number;
    steps: number;
    stepS: number;
    leakNode: string;
    leakShare: number;
    leakFromT: number;
    noiseM?: number;
  },
): ReplayReading[] {
  const det = new NetworkDetector(spec, h, hourOfDay);
  const sensors = spec.sensors.filter((s) => s.quantity === 'pressure');
  const out: ReplayReading[] = [];
  let seq = 0;
  for (let i = 0; i < o.steps; i++) {
    const t = o.fromT + i * o.stepS;
    let pressure = det.expected(t);
    if (t >= o.leakFromT) {
      const c = (o.leakShare * h.meanDemand) / Math.sqrt(Math.max(1, pressure.get(o.leakNode)!));
      const m = patternMultiplier(spec.demandPattern, hourOfDay(t));
      pressure = h.solve({
        multiplier: m,
        emitters: new Map([[o.leakNode, c]]),
      }).pressure;
    }
    sensors.forEach((s, k) =>
      out.push({
        sensor: s.id,
        t,
        value: pressure.get(s.node)! + (o.noiseM ?? 0.02) * (((i + k) % 5) / 2 - 1),
        seq: seq++,
      }),
    );
  }
  return out;
}
