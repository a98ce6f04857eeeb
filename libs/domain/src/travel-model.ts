/**
 * The travel model: how long a unit takes to reach an incident, from the road graph's travel time,
 * fitted on the city's own historical responses. One model serves live ETAs, recommendations and
 * drills (issue 20).
 *
 * Form: `travel = interceptS + slope × graphS`, one line per response mode (emergency: lights and
 * sirens, our priority 1; otherwise non-emergency) and unit type, fitted by least squares on the
 * observed `on scene − en route` seconds of engine and truck responses from their stations. A group
 * with fewer than {@link MIN_GROUP_SAMPLES} responses uses its mode's line over every unit type, and
 * a mode without enough uses the line over all responses. The error is measured by leave-one-day-out
 * cross-validation: each day's responses are predicted by the model fitted on the other days.
 *
 * Turnout (`en route − dispatch`) is the median of the data per unit type; a live ETA is turnout +
 * modelled travel.
 */

import { median } from './statistics';

/** One historical response: graph travel time from the unit's station, and what the crew took. Seconds. */
export interface TravelSample {
  /** Local calendar day of the call, `YYYY-MM-DD` (the cross-validation fold). */
  day: string;
  graphS: number;
  observedS: number;
  emergency: boolean;
  unitType: string;
}

/** One fitted line: `travel = interceptS + slope × graphS`, over `n` responses. */
export interface TravelLine {
  interceptS: number;
  slope: number;
  n: number;
}

/** Error of a model's predictions against observed travel. */
export interface TravelError {
  n: number;
  /** Median of |predicted − observed| / observed, 0..∞. */
  medianAbsPctError: number;
  /** Root mean square error, seconds. */
  rmseS: number;
}

/** A fitted travel model, as stored (`travel_model.model`) and shown by `GET /api/travel-model`. */
export interface TravelModel {
  method: string;
  /** The fit's weighting, chosen by cross-validation. */
  weighting: TravelWeighting;
  /** Leave-one-day-out error of each weighting tried. */
  alternatives: (TravelError & { weighting: TravelWeighting })[];
  fittedAt: string;
  /** What the fit saw: responses used, days, unit types, and the filter applied. */
  sample: { responses: number; days: string[]; unitTypes: string[]; filter: string };
  /** Lines keyed `emergency:ENGINE`, `non-emergency:TRUCK`, `emergency:*` (mode over all types), `*:*`. */
  lines: Record<string, TravelLine>;
  /** Median turnout (en route − dispatch) per unit type, seconds, with the sample size. */
  turnout: Record<string, { medianS: number; n: number }>;
  /** Leave-one-day-out error of this method, overall and per held-out day. */
  crossValidation: TravelError & { perDay: (TravelError & { day: string })[] };
  /** The same cross-validation for the earlier one-factor fit (graph × k through the origin), for comparison. */
  baseline: TravelError & { method: string };
}

/** Fewer responses than this in a (mode, unit type) group: the mode's line is used instead. */
export const MIN_GROUP_SAMPLES = 30;

/** NFPA 1710 (2020) §4.1.2.1 turnout targets, seconds: used for a unit type without data. */
export const NFPA_TURNOUT_EMS_S = 60;
export const NFPA_TURNOUT_FIRE_S = 80;
const EMS_UNIT_TYPES = new Set(['MEDIC', 'PRIVATE', 'RESCUE CAPTAIN']);

/** Whether a unit type is an EMS unit (ambulance, rescue captain), for turnout targets. */
export const isEmsUnit = (unitType: string): boolean => EMS_UNIT_TYPES.has(unitType);

/** Observed travel outside this range (seconds) is a stamp pressed late or early; left out of the fit. */
export const OBSERVED_RANGE_S: readonly [number, number] = [30, 1200];

/** Response mode key of a line: lights and sirens (priority 1) or not. */
export const modeOf = (emergency: boolean): 'emergency' | 'non-emergency' => (emergency ? 'emergency' : 'non-emergency');

/** Samples the fit may use: finite graph time ≥ 5 s (not the station's own block), observed within {@link OBSERVED_RANGE_S}. */
export function usableSamples(samples: readonly TravelSample[]): TravelSample[] {
  return samples.filter((s) => Number.isFinite(s.graphS) && s.graphS >= 5 && s.observedS >= OBSERVED_RANGE_S[0] && s.observedS <= OBSERVED_RANGE_S[1]);
}

/**
 * Weighted least squares `y = a + b·x` with weights `w` (`weightOf`); a slope that is not positive, or
 * a negative intercept, falls back to a line through the origin.
 */
function fitLine(xs: readonly TravelSample[], weighting: TravelWeighting): TravelLine {
  const n = xs.length;
  if (n === 0) return { interceptS: 0, slope: 1, n: 0 };
  const w = xs.map((p) => weightOf(p, weighting));
  const sw = w.reduce((s, x) => s + x, 0);
  const mx = xs.reduce((s, p, i) => s + w[i] * p.graphS, 0) / sw;
  const my = xs.reduce((s, p, i) => s + w[i] * p.observedS, 0) / sw;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((p, i) => {
    sxy += w[i] * (p.graphS - mx) * (p.observedS - my);
    sxx += w[i] * (p.graphS - mx) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  if (slope > 0 && my - slope * mx >= 0) return { interceptS: my - slope * mx, slope, n };
  return { interceptS: 0, slope: fitOrigin(xs), n };
}

/**
 * How responses weigh in a fit: `squared` (ordinary least squares, minimises the RMSE in seconds) or
 * `relative` (weights 1/observed², minimises the squared relative error, so a short trip's 60 s miss
 * counts as much as a long trip's proportional one).
 */
export type TravelWeighting = 'squared' | 'relative';
const weightOf = (p: TravelSample, w: TravelWeighting) => (w === 'relative' ? 1 / (p.observedS * p.observedS) : 1);

/** Least squares through the origin, `k = Σ g·o / Σ g²` (the earlier drill calibration). */
function fitOrigin(xs: readonly TravelSample[]): number {
  const den = xs.reduce((s, p) => s + p.graphS * p.graphS, 0);
  return den > 0 ? xs.reduce((s, p) => s + p.graphS * p.observedS, 0) / den : 1;
}

function fitLines(xs: readonly TravelSample[], weighting: TravelWeighting): Record<string, TravelLine> {
  const groups = new Map<string, TravelSample[]>();
  const add = (k: string, s: TravelSample) => (groups.get(k) ?? groups.set(k, []).get(k)!).push(s);
  for (const s of xs) {
    add(`${modeOf(s.emergency)}:${s.unitType}`, s);
    add(`${modeOf(s.emergency)}:*`, s);
    add('*:*', s);
  }
  const lines: Record<string, TravelLine> = {};
  for (const [k, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) if (g.length >= MIN_GROUP_SAMPLES || k === '*:*') lines[k] = fitLine(g, weighting);
  return lines;
}

/**
 * The line that applies to a response: its (mode, unit type) group, else its mode over every unit
 * type, else the line over all responses, else identity (graph time as it is).
 */
export function lineFor(lines: Record<string, TravelLine>, emergency: boolean, unitType: string): TravelLine {
  const m = modeOf(emergency);
  return lines[`${m}:${unitType}`] ?? lines[`${m}:*`] ?? lines['*:*'] ?? { interceptS: 0, slope: 1, n: 0 };
}

/**
 * Modelled travel time, seconds, for a graph travel time (seconds, from the road network) by a unit
 * of `unitType` in a response mode. Infinity (unreachable) stays Infinity; a graph time of 0 (the
 * unit is at the incident's access point) is 0, not the intercept.
 */
export function modelTravelS(model: Pick<TravelModel, 'lines'>, graphS: number, emergency: boolean, unitType: string): number {
  if (!Number.isFinite(graphS)) return graphS;
  if (graphS <= 0) return 0;
  const l = lineFor(model.lines, emergency, unitType);
  return l.interceptS + l.slope * graphS;
}

/**
 * Turnout of a unit type, seconds: the data's median, else the NFPA 1710 target (60 s EMS, 80 s fire).
 */
export function turnoutS(model: Pick<TravelModel, 'turnout'>, unitType: string): number {
  return model.turnout[unitType]?.medianS ?? (EMS_UNIT_TYPES.has(unitType) ? NFPA_TURNOUT_EMS_S : NFPA_TURNOUT_FIRE_S);
}

/** Median absolute percentage error and RMSE of (predicted, observed) pairs, seconds. */
export function travelError(pairs: readonly { predictedS: number; observedS: number }[]): TravelError {
  if (!pairs.length) return { n: 0, medianAbsPctError: NaN, rmseS: NaN };
  return {
    n: pairs.length,
    medianAbsPctError: median(pairs.map((p) => Math.abs(p.predictedS - p.observedS) / p.observedS)),
    rmseS: Math.sqrt(pairs.reduce((s, p) => s + (p.predictedS - p.observedS) ** 2, 0) / pairs.length),
  };
}

/**
 * Leave-one-day-out predictions: each day's samples predicted by `fit` on every other day.
 * A single-day sample cannot be cross-validated and gives no prediction.
 */
function leaveOneDayOut(xs: readonly TravelSample[], fit: (train: TravelSample[]) => (s: TravelSample) => number) {
  const days = [...new Set(xs.map((s) => s.day))].sort();
  const perDay: (TravelError & { day: string })[] = [];
  const all: { predictedS: number; observedS: number }[] = [];
  if (days.length < 2) return { all, perDay };
  for (const day of days) {
    const predict = fit(xs.filter((s) => s.day !== day));
    const held = xs.filter((s) => s.day === day).map((s) => ({ predictedS: predict(s), observedS: s.observedS }));
    all.push(...held);
    perDay.push({ day, ...travelError(held) });
  }
  return { all, perDay };
}

/**
 * Fits the travel model on historical responses (see the module comment), with its leave-one-day-out
 * error and that of the one-factor baseline.
 * @param samples engine and truck responses (any others are fitted too, under their own unit type)
 * @param turnouts observed turnout seconds per unit type (`en route − dispatch`, 0 < t ≤ 600 s)
 * @param fittedAt when the fit ran (ISO), recorded with the model
 */
export function fitTravelModel(
  samples: readonly TravelSample[],
  turnouts: readonly { unitType: string; seconds: number }[],
  fittedAt: string,
): TravelModel {
  const xs = usableSamples(samples);
  const byType = new Map<string, number[]>();
  for (const t of turnouts) if (t.seconds > 0 && t.seconds <= 600) (byType.get(t.unitType) ?? byType.set(t.unitType, []).get(t.unitType)!).push(t.seconds);
  const turnout = Object.fromEntries([...byType].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, { medianS: median(v), n: v.length }]));
  const cvOf = (weighting: TravelWeighting) =>
    leaveOneDayOut(xs, (train) => {
      const lines = fitLines(train, weighting);
      return (s) => modelTravelS({ lines }, s.graphS, s.emergency, s.unitType);
    });
  // Both weightings are cross-validated; the one with the lower median error is used (both reported).
  const candidates = (['squared', 'relative'] as const).map((weighting) => ({ weighting, cv: cvOf(weighting) }));
  const scored = candidates.map((c) => ({ ...c, error: travelError(c.cv.all) }));
  const best = scored.reduce((a, b) => (b.error.medianAbsPctError < a.error.medianAbsPctError ? b : a));
  const base = leaveOneDayOut(xs, (train) => {
    const k = fitOrigin(train);
    return (s) => k * s.graphS;
  });
  return {
    method:
      `${best.weighting === 'relative' ? 'weighted least squares (weights 1/observed², the squared relative error)' : 'ordinary least squares'} ` +
      'of observed travel (on scene − en route) on graph travel time from the unit’s station, with an intercept, ' +
      `one line per response mode (priority 1 = emergency) and unit type (a group under ${MIN_GROUP_SAMPLES} responses uses its mode’s line); ` +
      'error by leave-one-day-out cross-validation; the weighting with the lower cross-validated median error is used',
    weighting: best.weighting,
    alternatives: scored.map((c) => ({ weighting: c.weighting, ...c.error })),
    fittedAt,
    sample: {
      responses: xs.length,
      days: [...new Set(xs.map((s) => s.day))].sort(),
      unitTypes: [...new Set(xs.map((s) => s.unitType))].sort(),
      filter: `graph time ≥ 5 s and observed ${OBSERVED_RANGE_S[0]}..${OBSERVED_RANGE_S[1]} s (${samples.length - xs.length} of ${samples.length} left out)`,
    },
    lines: fitLines(xs, best.weighting),
    turnout,
    crossValidation: { ...best.error, perDay: best.cv.perDay },
    baseline: { ...travelError(base.all), method: 'graph time × k, least squares through the origin (the earlier drill calibration)' },
  };
}

/** The model before any fit: graph time as it is, NFPA turnout (a city imported without response times). */
export function uncalibratedTravelModel(fittedAt: string): TravelModel {
  const none = { n: 0, medianAbsPctError: NaN, rmseS: NaN };
  return {
    method: 'uncalibrated: graph travel time as it is (no historical responses to fit on)',
    weighting: 'squared',
    alternatives: [],
    fittedAt,
    sample: { responses: 0, days: [], unitTypes: [], filter: '' },
    lines: {},
    turnout: {},
    crossValidation: { ...none, perDay: [] },
    baseline: { ...none, method: 'none' },
  };
}
