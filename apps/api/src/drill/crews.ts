import { fnv1a, mulberry32, quantile } from '@cad/domain';
import type { ScenarioCall } from '@cad/db';

/** The quantile's home is `@cad/domain` (situation reports use it too); kept here for the drill's imports. */
export { quantile };

const secs = (a: Date | null, b: Date | null) => (a && b && b >= a ? (b.getTime() - a.getTime()) / 1000 : null);

/** NFPA 1710 (2020) 4.1.2.1: turnout 60 s for EMS, 80 s for fire; used for a unit type without data. */
export const NFPA_TURNOUT_EMS_S = 60;
export const NFPA_TURNOUT_FIRE_S = 80;
const EMS_UNIT_TYPES = new Set(['MEDIC', 'PRIVATE', 'RESCUE CAPTAIN']);

/** A typical time on scene when neither the call nor its unit type has data, seconds. */
export const DEFAULT_SCENE_S = 900;

/**
 * Simulated crews: turnout times drawn from the data's empirical distribution per unit type, and
 * on-scene (including transport, for ambulances) times from the data.
 *
 * - Turnout: for each unit type, the historical `en route − dispatch` seconds of the scenario's
 *   calls (0 < t ≤ 600 s; longer ones are stamps entered late). A draw picks one of them uniformly
 *   with a generator seeded by (run seed, call, unit), so the draw does not depend on the order in
 *   which the simulation asks. Unit types without data fall back to the NFPA 1710 target.
 * - On scene: `available − on scene` of the historical unit of the same type at the same call, else
 *   the median of that call's units, else the median of the unit type, else 900 s.
 */
export class CrewModel {
  private readonly turnouts = new Map<string, number[]>();
  private readonly sceneByType = new Map<string, number>();
  private readonly calls = new Map<string, ScenarioCall>();

  constructor(
    calls: readonly ScenarioCall[],
    private readonly seed: number,
  ) {
    const scenes = new Map<string, number[]>();
    for (const c of calls) {
      this.calls.set(c.externalId, c);
      for (const u of c.units) {
        const t = secs(u.dispatch, u.enRoute);
        if (t !== null && t > 0 && t <= 600) push(this.turnouts, u.unitType, t);
        const s = secs(u.onScene, u.available);
        if (s !== null) push(scenes, u.unitType, s);
      }
    }
    for (const list of this.turnouts.values()) list.sort((a, b) => a - b);
    for (const [type, list] of scenes) this.sceneByType.set(type, quantile(list, 0.5));
  }

  /** Number of historical turnout samples per unit type. */
  turnoutSamples(): Record<string, number> {
    return Object.fromEntries([...this.turnouts].map(([k, v]) => [k, v.length]));
  }

  /**
   * Turnout time of a unit for a call, seconds (deterministic for a seed, call and unit).
   * @param callId the scenario call's external id
   */
  turnout(callId: string, unitId: string, unitType: string): number {
    const list = this.turnouts.get(unitType);
    if (!list?.length) return EMS_UNIT_TYPES.has(unitType) ? NFPA_TURNOUT_EMS_S : NFPA_TURNOUT_FIRE_S;
    const rnd = mulberry32(fnv1a(`${this.seed}:${callId}:${unitId}`));
    return list[Math.floor(rnd() * list.length)];
  }

  /** Time on scene (until available, so including transport for ambulances) of a unit at a call, seconds. */
  onScene(callId: string, unitType: string): number {
    const c = this.calls.get(callId);
    const same = c?.units.filter((u) => u.unitType === unitType).map((u) => secs(u.onScene, u.available)).filter(isNum) ?? [];
    if (same.length) return quantile(same, 0.5);
    const any = c?.units.map((u) => secs(u.onScene, u.available)).filter(isNum) ?? [];
    if (any.length) return quantile(any, 0.5);
    return this.sceneByType.get(unitType) ?? DEFAULT_SCENE_S;
  }
}

const isNum = (x: number | null): x is number => x !== null;
function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The travel-time calibration: simulated travel = graph time × `factor`. */
export interface TravelCalibration {
  factor: number;
  /** Responses used in the fit. */
  n: number;
  /** Root mean square error of `factor × graph` against the observed travel, seconds. */
  rmseS: number;
  /** Median of |fitted − observed| / observed. */
  medianAbsPctError: number;
  /** Same error with factor 1 (graph speeds as they are), to show what the fit gained. */
  rmseUncalibratedS: number;
  method: string;
}

/**
 * Fits the factor `k` in `observed ≈ k × graph` by least squares through the origin,
 * `k = Σ g·o / Σ g²`, over (graph travel time, observed travel time) pairs in seconds. Pairs with a
 * graph time under 30 s or an observed time outside 30..1200 s are left out (stamps pressed late or
 * early, units not starting from their station). Reports the RMSE and the median absolute percentage
 * error of the fit, and the RMSE with k = 1.
 * @returns factor 1 with n = 0 when no pair qualifies
 */
export function fitTravelFactor(pairs: readonly { graphS: number; observedS: number }[]): TravelCalibration {
  const use = pairs.filter((p) => Number.isFinite(p.graphS) && p.graphS >= 30 && p.observedS >= 30 && p.observedS <= 1200);
  const method =
    'least squares through the origin of observed travel (SFFD On Scene − Response, engine and truck responses ' +
    'from their estimated stations) on graph travel time from the station; pairs with graph < 30 s or observed outside 30..1200 s left out';
  if (use.length === 0) return { factor: 1, n: 0, rmseS: NaN, medianAbsPctError: NaN, rmseUncalibratedS: NaN, method };
  const k = use.reduce((s, p) => s + p.graphS * p.observedS, 0) / use.reduce((s, p) => s + p.graphS * p.graphS, 0);
  const rmse = (f: number) => Math.sqrt(use.reduce((s, p) => s + (f * p.graphS - p.observedS) ** 2, 0) / use.length);
  return {
    factor: k,
    n: use.length,
    rmseS: rmse(k),
    medianAbsPctError: quantile(
      use.map((p) => Math.abs(k * p.graphS - p.observedS) / p.observedS),
      0.5,
    ),
    rmseUncalibratedS: rmse(1),
    method,
  };
}
