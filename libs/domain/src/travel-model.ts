/**
 * The travel model: how long a unit takes to reach an incident, from the road graph's travel time,
 * fitted on the city's own historical responses. One model serves live ETAs, recommendations and
 * drills (issue 20).
 *
 * Form: `travel = interceptS + slope × graphS + stationS`: one line per response mode (emergency:
 * lights and sirens, our priority 1; otherwise non-emergency) and unit type, plus a term per home
 * station, fitted on the observed `on scene − en route` seconds of engine and truck responses from
 * their stations. A group with fewer than {@link MIN_GROUP_SAMPLES} responses uses its mode's line
 * over every unit type, and a mode without enough uses the line over all responses.
 *
 * Fits tried, each cross-validated leave-one-day-out (each day's responses predicted by the model
 * fitted on the other days only); the one with the lowest median absolute percentage error is used,
 * and every one is reported (`alternatives`):
 * - `squared`: ordinary least squares lines, no station term (the fit before; minimises the RMSE);
 * - `absolute`: least absolute deviations lines (a median regression: the line through the
 *   conditional median, which the median absolute error rewards, and which a few stamps pressed late
 *   cannot drag; Koenker & Bassett 1978, "Regression quantiles", Econometrica 46(1));
 * - `absolute` with station terms: the LAD lines, then per home station the median of its responses'
 *   residuals, shrunk toward 0 as `median × n / (n + STATION_SHRINK_RESPONSES)` (a station seen a few
 *   times keeps little of its term). It carries what the lines cannot: the error of the station's
 *   estimated position (the SFFD data gives none; see `estimateBase`) and the station's own exit.
 *   How much it is shrunk, and why: {@link STATION_SHRINK_RESPONSES}.
 *
 * On the north-strip week (1,054 engine and truck responses, 8 days) the cross-validated median error
 * is 28.7 % for `squared`, 27.1 % for `absolute` and 24.6 % with station terms (RMSE 105.1, 106.8 and
 * 105.9 s); see the README's *Fidelity* section. The data's own noise bounds it: two responses by one
 * unit to points under 75 m apart differ by about 90 s (SD).
 *
 * Degenerate samples: no response gives graph time as it is (slope 1, intercept 0); fewer than
 * {@link MIN_LINE_SAMPLES} responses, or a single graph time, give the line through the origin with
 * the median observed/graph ratio as slope (never NaN: graph times are ≥ 5 s).
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
  /** The unit's home station (`unit.station_id`, e.g. `st-3`); null or absent: none known. */
  stationId?: string | null;
}

/** What the model needs of a unit: its type and home station. */
export interface TravelUnit {
  unitType: string;
  /** Home station id (`unit.station_id`); null or absent: no station term. */
  stationId?: string | null;
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

/** A station's term: seconds added to its units' modelled travel, over `n` responses. */
export interface StationTerm {
  offsetS: number;
  n: number;
}

/** One fit cross-validated: its weighting, whether it has station terms, and its error. */
export type TravelAlternative = TravelError & { weighting: TravelWeighting; stationTerms: boolean };

/** A fitted travel model, as stored (`travel_model.model`) and shown by `GET /api/travel-model`. */
export interface TravelModel {
  method: string;
  /** The fit's weighting, chosen by cross-validation. */
  weighting: TravelWeighting;
  /** Leave-one-day-out error of each fit tried. */
  alternatives: TravelAlternative[];
  fittedAt: string;
  /** What the fit saw: responses used, days, unit types, and the filter applied. */
  sample: { responses: number; days: string[]; unitTypes: string[]; filter: string };
  /** Lines keyed `emergency:ENGINE`, `non-emergency:TRUCK`, `emergency:*` (mode over all types), `*:*`. */
  lines: Record<string, TravelLine>;
  /**
   * Term per home station id, seconds, added to the line's travel of that station's units: empty when
   * the chosen fit has none, absent in a model stored before station terms (refitted at the API's start).
   */
  stations?: Record<string, StationTerm>;
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

/** Fewer responses than this (or a single graph time): a line cannot be fitted; the median ratio through the origin is used. */
export const MIN_LINE_SAMPLES = 5;

/**
 * Pseudo-responses a station term is shrunk with: `median residual × n / (n + 10)`, so a station seen
 * 10 times keeps half its median residual and one seen 100 times 91 %. A round figure from a flat
 * region: on the north-strip week's cross-validation 5 gives 24.5 %, 10 24.6 %, 0 (no shrinking)
 * 25.1 %, 20 25.4 % and 40 25.9 % (so this one figure was read off the same cross-validation that
 * reports the error).
 */
export const STATION_SHRINK_RESPONSES = 10;

/** Largest slope the least absolute deviations fit searches (modelled travel over graph time). */
const MAX_SLOPE = 5;

/**
 * How the lines are fitted: `squared` (ordinary least squares, minimises the RMSE in seconds) or
 * `absolute` (least absolute deviations, minimises the mean absolute error: a median regression).
 */
export type TravelWeighting = 'squared' | 'absolute';

/**
 * Fits `observed = a + b × graph` on `xs` (seconds), a ≥ 0 and b ≥ 0, by `weighting`. With no sample:
 * identity (a 0, b 1); with fewer than {@link MIN_LINE_SAMPLES} or a single graph time: the median
 * observed/graph ratio through the origin. `squared`: ordinary least squares, with a slope that is not
 * positive or a negative intercept falling back to least squares through the origin.
 */
function fitLine(xs: readonly TravelSample[], weighting: TravelWeighting): TravelLine {
  const n = xs.length;
  if (n === 0) return { interceptS: 0, slope: 1, n: 0 };
  if (n < MIN_LINE_SAMPLES || xs.every((p) => p.graphS === xs[0].graphS)) return { interceptS: 0, slope: median(xs.map((p) => p.observedS / p.graphS)), n };
  if (weighting === 'absolute') return { ...fitLad(xs), n };
  const mx = xs.reduce((s, p) => s + p.graphS, 0) / n;
  const my = xs.reduce((s, p) => s + p.observedS, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of xs) {
    sxy += (p.graphS - mx) * (p.observedS - my);
    sxx += (p.graphS - mx) ** 2;
  }
  const slope = sxy / sxx;
  if (slope > 0 && my - slope * mx >= 0) return { interceptS: my - slope * mx, slope, n };
  return { interceptS: 0, slope: fitOrigin(xs), n };
}

/**
 * Least absolute deviations `observed = a + b × graph`, a ≥ 0, 0 ≤ b ≤ {@link MAX_SLOPE}: for a slope
 * b the best a is the median residual (clamped at 0), and the remaining sum of absolute residuals is
 * convex in b (a convex function minimised over a), so a ternary search over b finds the minimum
 * (60 steps: the slope to 10⁻¹⁰). Cost O(60 · n log n).
 */
function fitLad(xs: readonly TravelSample[]): { interceptS: number; slope: number } {
  const at = (b: number) => {
    const r = xs.map((p) => p.observedS - b * p.graphS);
    const a = Math.max(0, median(r));
    return { a, cost: r.reduce((s, x) => s + Math.abs(x - a), 0) };
  };
  let [lo, hi] = [0, MAX_SLOPE];
  for (let k = 0; k < 60; k++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (at(m1).cost <= at(m2).cost) hi = m2;
    else lo = m1;
  }
  const slope = (lo + hi) / 2;
  return { interceptS: at(slope).a, slope };
}

/** Least squares through the origin, `k = Σ g·o / Σ g²` (the earlier drill calibration). */
function fitOrigin(xs: readonly TravelSample[]): number {
  const den = xs.reduce((s, p) => s + p.graphS * p.graphS, 0);
  return den > 0 ? xs.reduce((s, p) => s + p.graphS * p.observedS, 0) / den : 1;
}

const groupBy = <T>(xs: readonly T[], keysOf: (x: T) => (string | null | undefined)[]): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const x of xs) for (const k of keysOf(x)) if (k) (groups.get(k) ?? groups.set(k, []).get(k)!).push(x);
  return groups;
};

function fitLines(xs: readonly TravelSample[], weighting: TravelWeighting): Record<string, TravelLine> {
  const groups = groupBy(xs, (s) => [`${modeOf(s.emergency)}:${s.unitType}`, `${modeOf(s.emergency)}:*`, '*:*']);
  const lines: Record<string, TravelLine> = {};
  for (const [k, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) if (g.length >= MIN_GROUP_SAMPLES || k === '*:*') lines[k] = fitLine(g, weighting);
  return lines;
}

/**
 * Station terms of fitted lines (see the module comment): per station id, the median of its responses'
 * `observed − line` seconds × n / (n + {@link STATION_SHRINK_RESPONSES}).
 */
function fitStationTerms(xs: readonly TravelSample[], lines: Record<string, TravelLine>): Record<string, StationTerm> {
  const groups = groupBy(xs, (s) => [s.stationId]);
  const out: Record<string, StationTerm> = {};
  for (const [k, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = g.map((s) => s.observedS - modelTravelS({ lines }, s.graphS, s.emergency, s));
    out[k] = { offsetS: (median(r) * g.length) / (g.length + STATION_SHRINK_RESPONSES), n: g.length };
  }
  return out;
}

/** One fit: its lines and, when asked, station terms. */
function fitModel(xs: readonly TravelSample[], weighting: TravelWeighting, stationTerms: boolean): Pick<TravelModel, 'lines' | 'stations'> {
  const lines = fitLines(xs, weighting);
  return { lines, stations: stationTerms ? fitStationTerms(xs, lines) : {} };
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
 * in a response mode: its line's `interceptS + slope × graphS`, plus its home station's term when the
 * model has one, never below 0. Infinity (unreachable) stays Infinity; a graph time of 0 (the unit is
 * at the incident's access point) is 0, not the intercept.
 * @param unit the unit's type and home station (`stationId` null or absent: no station term)
 */
export function modelTravelS(model: Pick<TravelModel, 'lines' | 'stations'>, graphS: number, emergency: boolean, unit: TravelUnit): number {
  if (!Number.isFinite(graphS)) return graphS;
  if (graphS <= 0) return 0;
  const l = lineFor(model.lines, emergency, unit.unitType);
  const station = unit.stationId ? (model.stations?.[unit.stationId]?.offsetS ?? 0) : 0;
  return Math.max(0, l.interceptS + l.slope * graphS + station);
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

/** The fits {@link fitTravelModel} cross-validates, in order (the first wins a tie): see the module comment. */
export const TRAVEL_FITS: readonly { weighting: TravelWeighting; stationTerms: boolean }[] = [
  { weighting: 'squared', stationTerms: false },
  { weighting: 'absolute', stationTerms: false },
  { weighting: 'absolute', stationTerms: true },
];

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
  const cvOf = (weighting: TravelWeighting, stationTerms: boolean) =>
    leaveOneDayOut(xs, (train) => {
      const m = fitModel(train, weighting, stationTerms);
      return (s) => modelTravelS(m, s.graphS, s.emergency, s);
    });
  // Every fit is cross-validated; the one with the lowest median error is used (all reported).
  const candidates = TRAVEL_FITS.map((f) => ({ ...f, cv: cvOf(f.weighting, f.stationTerms) }));
  const scored = candidates.map((c) => ({ ...c, error: travelError(c.cv.all) }));
  const best = scored.reduce((a, b) => (b.error.medianAbsPctError < a.error.medianAbsPctError ? b : a));
  const base = leaveOneDayOut(xs, (train) => {
    const k = fitOrigin(train);
    return (s) => k * s.graphS;
  });
  return {
    method:
      `${best.weighting === 'absolute' ? 'least absolute deviations (median regression)' : 'ordinary least squares'} ` +
      'of observed travel (on scene − en route) on graph travel time from the unit’s station, with an intercept, ' +
      `one line per response mode (priority 1 = emergency) and unit type (a group under ${MIN_GROUP_SAMPLES} responses uses its mode’s line)` +
      (best.stationTerms ? `, plus a term per home station (its median residual × n / (n + ${STATION_SHRINK_RESPONSES}))` : '') +
      '; error by leave-one-day-out cross-validation; of the fits tried, the one with the lowest cross-validated median error is used',
    weighting: best.weighting,
    alternatives: scored.map((c) => ({ weighting: c.weighting, stationTerms: c.stationTerms, ...c.error })),
    fittedAt,
    sample: {
      responses: xs.length,
      days: [...new Set(xs.map((s) => s.day))].sort(),
      unitTypes: [...new Set(xs.map((s) => s.unitType))].sort(),
      filter: `graph time ≥ 5 s and observed ${OBSERVED_RANGE_S[0]}..${OBSERVED_RANGE_S[1]} s (${samples.length - xs.length} of ${samples.length} left out)`,
    },
    ...fitModel(xs, best.weighting, best.stationTerms),
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
    stations: {},
    turnout: {},
    crossValidation: { ...none, perDay: [] },
    baseline: { ...none, method: 'none' },
  };
}
