import { Georeference, Quantity, QUANTITIES } from '@cad/domain';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One sensor of a network, as listed in the lifelines file. */
export interface SensorSpec {
  /** Sensor id, the `<sensor>` segment of its MQTT topic. */
  id: string;
  quantity: Quantity;
  /** The junction (pressure, gas pressure) or pipe (flow) it measures. */
  node: string;
  /** Expected reporting period, seconds. */
  periodS: number;
}

/** One lifeline network placed in the city. */
export interface NetworkSpec {
  /** Network id, the `<network>` segment of MQTT topics. */
  id: string;
  name: string;
  /** `water` or `gas`. */
  kind: 'water' | 'gas';
  /** True when the network is a benchmark stand-in, not the city's real mains: said wherever it is shown. */
  standIn: boolean;
  /** EPANET `.inp` file name in the lifelines data folder (water), read as it is. */
  inpFile?: string;
  georeference: Georeference;
  /** Demand multipliers through the day, local time, from 00:00, each `stepHours` long; with their source. */
  demandPattern: { stepHours: number; multipliers: number[]; source: string };
  sensors: SensorSpec[];
  /** Detector settings: EWMA λ and L, CUSUM k and h (σ units), residual σ per sensor (metres). */
  detector: {
    ewmaLambda: number;
    ewmaL: number;
    cusumK: number;
    cusumH: number;
    sigmaM: number;
  };
  /** Gas only: the pressure floor (kPa) and the fastest acceptable fall (kPa/min). */
  gas?: { minKpa: number; maxDropKpaPerMin: number };
}

/** The lifelines file: networks and their sensors (until the city profile lists them). */
export interface LifelinesFile {
  networks: NetworkSpec[];
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads and checks the lifelines file (`LIFELINES_FILE`, default `db/lifelines/sf-lifelines.json`). The
 * one reader of it: when the city profile lists networks, this is the function to point at it.
 * @throws Error naming the file and the field when it is missing or malformed
 */
export function readLifelinesFile(file: string): LifelinesFile {
  const where = path.resolve(file);
  if (!fs.existsSync(where)) throw new Error(`lifelines file not found: ${where} (set LIFELINES_FILE)`);
  const raw = JSON.parse(fs.readFileSync(where, 'utf8')) as LifelinesFile;
  const bad = (field: string, why: string) => new Error(`${where}: ${field} ${why}`);
  if (!Array.isArray(raw.networks)) throw bad('networks', 'must be an array');
  const seen = new Set<string>();
  raw.networks.forEach((n, i) => {
    const f = `networks[${i}]`;
    if (!ID.test(n.id ?? '') || seen.has(n.id)) throw bad(`${f}.id`, 'must be a unique [A-Za-z0-9_-] id');
    seen.add(n.id);
    if (n.kind !== 'water' && n.kind !== 'gas') throw bad(`${f}.kind`, 'must be water or gas');
    if (n.kind === 'water' && !n.inpFile) throw bad(`${f}.inpFile`, 'is required for a water network');
    const g = n.georeference;
    if (!g || !(Math.abs(g.origin?.lat) <= 90) || !(Math.abs(g.origin?.lon) <= 180) || !(g.metresPerUnit > 0)) throw bad(`${f}.georeference`, 'needs origin {lat, lon} in range and metresPerUnit > 0');
    const p = n.demandPattern;
    if (!p || !(p.stepHours > 0) || !Array.isArray(p.multipliers) || Math.abs(p.stepHours * p.multipliers.length - 24) > 1e-9)
      throw bad(`${f}.demandPattern`, 'must cover 24 hours (stepHours × multipliers = 24)');
    const sensorIds = new Set<string>();
    (n.sensors ?? []).forEach((s, j) => {
      if (!ID.test(s.id ?? '') || sensorIds.has(s.id)) throw bad(`${f}.sensors[${j}].id`, 'must be a unique [A-Za-z0-9_-] id');
      sensorIds.add(s.id);
      if (!(s.quantity in QUANTITIES)) throw bad(`${f}.sensors[${j}].quantity`, `must be one of ${Object.keys(QUANTITIES).join(', ')}`);
      if (!(s.periodS > 0)) throw bad(`${f}.sensors[${j}].periodS`, 'must be > 0 seconds');
    });
    if (!n.detector || !(n.detector.sigmaM > 0)) throw bad(`${f}.detector.sigmaM`, 'must be > 0');
  });
  return raw;
}

/**
 * The demand multiplier of a pattern at a local time of day.
 * @param hourOfDay local hours since midnight, [0, 24)
 */
export function patternMultiplier(p: NetworkSpec['demandPattern'], hourOfDay: number): number {
  const k = Math.floor((((hourOfDay % 24) + 24) % 24) / p.stepHours);
  return p.multipliers[Math.min(k, p.multipliers.length - 1)];
}
