/** The after-action report's intervals: NFPA 1710 / 1225 targets, each call's intervals, their percentiles per group of calls. */
import { isEmsUnit, quantile } from '@cad/domain';

/**
 * Response-time targets, seconds, at the 90th percentile:
 * - NFPA 1225 (2022) 7.4 (carried over from NFPA 1221 (2019) 7.4.2): emergency alarm processing ≤ 60 s, 90 %.
 * - NFPA 1710 (2020) 4.1.2.1: turnout ≤ 60 s for EMS, ≤ 80 s for fire; travel ≤ 240 s for the first
 *   engine, ≤ 480 s for the full first-alarm assignment; first-engine total response (processing +
 *   turnout + travel) follows as 60 + 80 + 240 = 380 s.
 */
export const NFPA_TARGETS = {
  callProcessing: { seconds: 60, source: 'NFPA 1225 (2022) 7.4 / NFPA 1221 (2019) 7.4.2: 60 s at the 90th percentile' },
  turnoutEms: { seconds: 60, source: 'NFPA 1710 (2020) 4.1.2.1(2): EMS turnout 60 s' },
  turnoutFire: { seconds: 80, source: 'NFPA 1710 (2020) 4.1.2.1(2): fire turnout 80 s' },
  travelFirstUnit: { seconds: 240, source: 'NFPA 1710 (2020) 4.1.2.1(3): first engine travel 240 s' },
  travelFullAlarm: { seconds: 480, source: 'NFPA 1710 (2020) 4.1.2.1(5): full first-alarm travel 480 s; measured on the calls that sent two units or more, all arriving (the longest travel among them), so its calls are not the first unit\'s and its p90 can be lower' },
  totalResponse: { seconds: 380, source: 'sum of the NFPA 1225 processing (60 s), fire turnout (80 s) and first-engine travel (240 s) targets' },
} as const;
export type Metric = keyof typeof NFPA_TARGETS;
export const METRICS = Object.keys(NFPA_TARGETS) as Metric[];

/** True for unit types whose turnout is judged against the EMS target (one home: `@cad/domain`). */
export { isEmsUnit };

/** One unit's response (simulated or historical), instants in ms since the epoch (null: did not happen). */
export interface UnitTimes {
  unitId: string;
  unitType: string;
  dispatch: number | null;
  enRoute: number | null;
  onScene: number | null;
  clear: number | null;
  /** A simulated fire unit's travel model median from where it set off, seconds (its drawn travel is this × a residual); absent: unknown. */
  medianTravelS?: number | null;
  /** True when a simulated unit's travel was drawn from history (an ambulance), not the travel model's. */
  travelDrawn?: boolean;
}

/** One call with where it was and how it was answered in the drill (`sim`) and historically (`hist`). */
export interface ReportCall {
  callId: string;
  type: string;
  priority: number;
  district: string;
  street: string;
  received: number;
  sim: UnitTimes[];
  hist: UnitTimes[];
  /** When the call reached dispatch in the drill (received + simulated call processing), ms; default `received`. */
  posted?: number;
  /** True when dispatch linked it to an incident another call opened (a duplicate): its units are that call's. */
  linked?: boolean;
  /** Capabilities of its response plan, one per slot (for late arrivals); default: an engine. */
  plan?: string[];
}

/** The intervals of one call, seconds; each list may be empty. */
export interface CallIntervals {
  callProcessing: number[];
  turnoutEms: number[];
  turnoutFire: number[];
  travelFirstUnit: number[];
  travelFullAlarm: number[];
  totalResponse: number[];
}

const d = (a: number | null, b: number | null) => (a !== null && b !== null && b >= a ? (b - a) / 1000 : null);
export const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);

/**
 * A call's intervals: call processing = first dispatch − received; turnout = en route − dispatch per
 * unit (EMS or fire by unit type); first-unit travel = on scene − en route of the first unit on scene;
 * full-alarm travel = the longest travel among the call's units (calls with two units or more);
 * total response = first on scene − received.
 */
export function intervalsOf(received: number, units: UnitTimes[]): CallIntervals {
  const firstDispatch = Math.min(...nums(units.map((u) => u.dispatch)));
  const arrived = units.filter((u) => u.onScene !== null).sort((a, b) => a.onScene! - b.onScene!);
  const travels = nums(units.map((u) => d(u.enRoute, u.onScene)));
  const first = arrived[0];
  return {
    callProcessing: Number.isFinite(firstDispatch) ? nums([d(received, firstDispatch)]) : [],
    turnoutEms: nums(units.filter((u) => isEmsUnit(u.unitType)).map((u) => d(u.dispatch, u.enRoute))),
    turnoutFire: nums(units.filter((u) => !isEmsUnit(u.unitType)).map((u) => d(u.dispatch, u.enRoute))),
    travelFirstUnit: first ? nums([d(first.enRoute, first.onScene)]) : [],
    travelFullAlarm: units.length >= 2 && travels.length === units.length ? [Math.max(...travels)] : [],
    totalResponse: first ? nums([d(received, first.onScene)]) : [],
  };
}

/** Percentiles of one interval, seconds, and the share within its NFPA target. */
export interface Dist {
  n: number;
  p50: number | null;
  p90: number | null;
  withinTarget: number | null;
}

function dist(values: number[], target: number): Dist {
  if (!values.length) return { n: 0, p50: null, p90: null, withinTarget: null };
  return {
    n: values.length,
    p50: round(quantile(values, 0.5)),
    p90: round(quantile(values, 0.9)),
    withinTarget: round(values.filter((v) => v <= target).length / values.length, 3),
  };
}
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Simulated and historical distributions of every metric for a group of calls. */
export type GroupStats = { calls: number } & Record<Metric, { sim: Dist; hist: Dist }>;

export function groupStats(calls: ReportCall[]): GroupStats {
  const acc = (pick: (c: ReportCall) => UnitTimes[]) => {
    const all: CallIntervals = { callProcessing: [], turnoutEms: [], turnoutFire: [], travelFirstUnit: [], travelFullAlarm: [], totalResponse: [] };
    for (const c of calls) {
      const iv = intervalsOf(c.received, pick(c));
      for (const m of METRICS) all[m].push(...iv[m]);
    }
    return all;
  };
  const sim = acc((c) => c.sim);
  const hist = acc((c) => c.hist);
  const out = { calls: calls.length } as GroupStats;
  for (const m of METRICS) out[m] = { sim: dist(sim[m], NFPA_TARGETS[m].seconds), hist: dist(hist[m], NFPA_TARGETS[m].seconds) };
  return out;
}

export function groupBy(calls: ReportCall[], key: (c: ReportCall) => string): Record<string, GroupStats> {
  const m = new Map<string, ReportCall[]>();
  for (const c of calls) (m.get(key(c)) ?? m.set(key(c), []).get(key(c))!).push(c);
  return Object.fromEntries([...m].sort((a, b) => b[1].length - a[1].length).map(([k, v]) => [k, groupStats(v)]));
}

