import { CusumChart, EwmaChart, rankLeakCandidates } from '@cad/domain';
import { Hydraulics } from './hydraulics';
import { NetworkSpec, patternMultiplier } from './lifelines-file';

/** Share of the network's mean demand a simulated leak has when building localisation signatures. */
export const SIGNATURE_LEAK_SHARE = 0.05;
/** Residuals averaged for localisation: the last this many readings per sensor. */
export const LOCALISATION_WINDOW = 6;

/** What the detector concluded from one reading. */
export interface LeakEvidence {
  /** `opened`: a new suspected leak; `updated`: the open one grew or its best location changed. */
  kind: 'opened' | 'updated';
  network: string;
  /** When the suspected leak was first flagged, epoch seconds (its business key). */
  since: number;
  /** The reading that triggered it, epoch seconds. */
  t: number;
  /** The sensor whose chart crossed first, and which chart. */
  sensor: string;
  chart: 'ewma' | 'cusum';
  /** Candidate junctions, best first (top 3), with the cosine match score. */
  candidates: { node: string; score: number }[];
  /** Largest pressure deficit across sensors, metres (how big the leak looks). */
  deficitM: number;
}

interface SensorState {
  node: string;
  ewma: EwmaChart;
  cusum: CusumChart;
  recent: number[];
  /** True while its last reading put either chart beyond its limit. */
  outOfControl: boolean;
}

/**
 * Leak detection on one water network: each pressure reading's residual (measured − the pressure the
 * EPANET model gives at the demand pattern's multiplier for that hour) feeds an EWMA and a CUSUM chart
 * per sensor (see `@cad/domain` control charts); the first crossing opens a suspected leak, localised by
 * matching the sensors' recent mean residuals against leaks simulated at each junction
 * ({@link rankLeakCandidates}). One open suspected leak per network at a time: later crossings update it.
 */
export class NetworkDetector {
  private readonly sensors = new Map<string, SensorState>();
  private readonly expectedCache = new Map<number, Map<string, number>>();
  private readonly signatureCache = new Map<number, Map<string, number[]>>();
  private open: { since: number; top: string; deficitM: number } | null = null;

  /**
   * @param spec the network, its pattern, sensors and detector settings
   * @param hydraulics its loaded model
   * @param hourOfDay maps epoch seconds to local hours since midnight (the city's zone)
   * @param calibration residual mean and σ (metres) per `<sensor>@<pattern multiplier>`, from a leak-free
   *   period (see {@link calibrate}); without it, mean 0 and σ = `spec.detector.sigmaM`
   */
  constructor(
    readonly spec: NetworkSpec,
    private readonly hydraulics: Hydraulics,
    private readonly hourOfDay: (t: number) => number,
    calibration?: Map<string, { mean: number; sd: number }>,
  ) {
    for (const s of spec.sensors) {
      if (s.quantity !== 'pressure') continue;
      this.sensors.set(s.id, {
        node: s.node,
        ewma: new EwmaChart(spec.detector.ewmaLambda, spec.detector.ewmaL),
        cusum: new CusumChart(spec.detector.cusumK, spec.detector.cusumH),
        recent: [],
        outOfControl: false,
      });
    }
    this.calibration = calibration ?? new Map();
  }
  private readonly calibration: Map<string, { mean: number; sd: number }>;

  /**
   * Residual mean and σ per sensor and pattern step from leak-free readings (the model misses the
   * demand noise's bias through the convex head loss, and noise grows with demand, so each pattern step
   * gets its own).
   * @param readings `[sensor, t (epoch s), metres]`
   * @returns the calibration map for the constructor
   */
  calibrate(readings: [string, number, number][]): Map<string, { mean: number; sd: number }> {
    const groups = new Map<string, number[]>();
    for (const [sensor, t, v] of readings) {
      const s = this.sensors.get(sensor);
      if (!s) continue;
      const key = `${sensor}@${patternMultiplier(this.spec.demandPattern, this.hourOfDay(t))}`;
      const list = groups.get(key) ?? [];
      list.push(v - this.expected(t).get(s.node)!);
      groups.set(key, list);
    }
    const out = new Map<string, { mean: number; sd: number }>();
    for (const [key, r] of groups) {
      if (r.length < 3) continue;
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      out.set(key, {
        mean,
        sd: Math.max(1e-3, Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1))),
      });
    }
    return out;
  }

  /** Pressure (m) the model expects at every junction at epoch second `t`. */
  expected(t: number): Map<string, number> {
    const m = patternMultiplier(this.spec.demandPattern, this.hourOfDay(t));
    let e = this.expectedCache.get(m);
    if (!e) {
      e = this.hydraulics.solve({ multiplier: m }).pressure;
      this.expectedCache.set(m, e);
    }
    return e;
  }

  /** Per candidate junction, the pressure change (m) at each pressure sensor for a leak of {@link SIGNATURE_LEAK_SHARE} of mean demand. */
  private signatures(t: number): Map<string, number[]> {
    const m = patternMultiplier(this.spec.demandPattern, this.hourOfDay(t));
    let s = this.signatureCache.get(m);
    if (!s) {
      s = new Map();
      const base = this.expected(t);
      const order = [...this.sensors.values()].map((x) => x.node);
      for (const j of this.hydraulics.junctions) {
        const p0 = base.get(j)!;
        const c = (SIGNATURE_LEAK_SHARE * this.hydraulics.meanDemand) / Math.sqrt(Math.max(1, p0));
        const leak = this.hydraulics.solve({
          multiplier: m,
          emitters: new Map([[j, c]]),
        }).pressure;
        s.set(
          j,
          order.map((n) => leak.get(n)! - base.get(n)!),
        );
      }
      this.signatureCache.set(m, s);
    }
    return s;
  }

  /** True when the sensor is a pressure sensor of this network. */
  knows(sensor: string): boolean {
    return this.sensors.has(sensor);
  }

  /**
   * Adds one pressure reading (metres) at epoch second `t`.
   * @returns evidence of a suspected leak when a chart crossed (opened) or the open one changed (updated), else null
   * @throws Error for a sensor that is not a pressure sensor of this network
   */
  add(sensor: string, t: number, value: number): LeakEvidence | null {
    const s = this.sensors.get(sensor);
    if (!s) throw new Error(`${sensor} is not a pressure sensor of ${this.spec.id}`);
    const cal = this.calibration.get(`${sensor}@${patternMultiplier(this.spec.demandPattern, this.hourOfDay(t))}`);
    const r = value - this.expected(t).get(s.node)! - (cal?.mean ?? 0);
    s.recent.push(r);
    if (s.recent.length > LOCALISATION_WINDOW) s.recent.shift();
    const x = r / (cal?.sd ?? this.spec.detector.sigmaM);
    const e = s.ewma.add(x);
    const c = s.cusum.add(x);
    s.outOfControl = e.alarm || c.alarm;
    if (!s.outOfControl) return null;
    const order = [...this.sensors.values()];
    const residuals = order.map((o) => (o.recent.length ? o.recent.reduce((a, b) => a + b, 0) / o.recent.length : 0));
    const candidates = rankLeakCandidates(residuals, this.signatures(t)).slice(0, 3);
    const deficitM = Math.max(0, -Math.min(...residuals));
    const chart = e.alarm ? 'ewma' : 'cusum';
    if (!this.open) {
      this.open = { since: t, top: candidates[0].node, deficitM };
      return {
        kind: 'opened',
        network: this.spec.id,
        since: t,
        t,
        sensor,
        chart,
        candidates,
        deficitM,
      };
    }
    if (candidates[0].node !== this.open.top || deficitM > this.open.deficitM * 1.5) {
      this.open = {
        since: this.open.since,
        top: candidates[0].node,
        deficitM: Math.max(deficitM, this.open.deficitM),
      };
      return {
        kind: 'updated',
        network: this.spec.id,
        since: this.open.since,
        t,
        sensor,
        chart,
        candidates,
        deficitM,
      };
    }
    return null;
  }

  /** Closes the open suspected leak (repaired or dismissed) and restarts every chart. */
  close(): void {
    this.open = null;
    for (const s of this.sensors.values()) {
      s.ewma.reset();
      s.cusum.reset();
      s.recent = [];
      s.outOfControl = false;
    }
  }

  /** True while the pressure sensor's last reading put its EWMA or CUSUM chart beyond its limit. */
  outOfControl(sensor: string): boolean {
    return this.sensors.get(sensor)?.outOfControl ?? false;
  }

  /** The open suspected leak, if any: since (epoch s) and best candidate. */
  get openLeak(): { since: number; top: string; deficitM: number } | null {
    return this.open;
  }
}
