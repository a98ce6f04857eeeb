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
 * Fits it chooses from ({@link TRAVEL_FITS}, in this order):
 * - `squared`: ordinary least squares lines, no station term (the fit before; minimises the RMSE);
 * - `absolute`: least absolute deviations lines (a median regression: the line through the
 *   conditional median, which the median absolute error rewards, and which a few stamps pressed late
 *   cannot drag; Koenker & Bassett 1978, "Regression quantiles", Econometrica 46(1));
 * - `absolute` with station terms, one fit per shrink constant k of {@link STATION_SHRINK_GRID}: the
 *   LAD lines, then per home station the median of its responses' residuals, shrunk toward 0 as
 *   `median × n / (n + k)` (a station seen a few times keeps little of its term). It carries what the
 *   lines cannot: the error of the station's estimated position (the SFFD data gives none; see
 *   `estimateBase`) and the station's own exit.
 *
 * Choice and error, kept apart so the error never sees the days it is scored on:
 * - the model used is the fit with the lowest leave-one-day-out median absolute error over every day
 *   (each day predicted by the fit on the other days only), fitted on every day; each fit's figure is
 *   reported (`alternatives`), but the chosen one's is optimistic, as the choice was made on it;
 * - the model's error (`crossValidation`) is nested leave-one-day-out: for each day, the choice is
 *   made the same way on the other days alone (an inner leave-one-day-out), the chosen fit is fitted
 *   on them and scored on the day (Varma & Simon 2006, BMC Bioinformatics 7:91).
 *
 * On the north-strip week (1,054 engine and truck responses, 8 days) the nested error is 24.7 %
 * (RMSE 105.8 s; per day 20.5..31.5 %, with k = 5, 10 or 20 chosen per fold), against 39.6 % for the
 * one-factor fit; the final choice is LAD lines with stations shrunk by k = 5 (plain leave-one-day-out
 * 24.5 %; least squares 28.7 %, LAD without stations 27.1 %); see *Fidelity* in docs/drills.md. The
 * data's own noise bounds it: two responses by one unit to points under 75 m apart differ by about 90 s (SD).
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

/** One fit the model may use: its lines' weighting and its station terms' shrink constant (null: no station terms). */
export interface TravelFit {
  weighting: TravelWeighting;
  /** Pseudo-responses `k` of the station terms (`median residual × n / (n + k)`); null: no station terms. */
  stationShrink: number | null;
}

/** One fit, its leave-one-day-out error over every day (the figure the final choice is made on). */
export type TravelAlternative = TravelError & TravelFit & { stationTerms: boolean };

/** A fitted travel model, as stored (`travel_model.model`) and shown by `GET /api/travel-model`. */
export interface TravelModel {
  method: string;
  /** The fit's weighting, chosen by cross-validation. */
  weighting: TravelWeighting;
  /** The station terms' shrink constant chosen with it (null: none; absent in a model stored before the choice). */
  stationShrink?: number | null;
  /**
   * Leave-one-day-out error over every day of each fit tried: what the final choice is made on, so
   * the chosen one's figure is optimistic; the model's error is {@link TravelModel.crossValidation}.
   */
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
  /**
   * Nested leave-one-day-out error of the whole procedure (choice and fit), overall and per held-out
   * day with the fit chosen for it on the other days alone. `nested` absent: a model stored before
   * (its figure was the chosen fit's plain leave-one-day-out error; refitted at the API's start).
   */
  crossValidation: TravelError & { nested?: true; perDay: (TravelError & { day: string; fit?: TravelFit })[] };
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
 * Shrink constants a station term may use, pseudo-responses: its term is `median residual × n / (n + k)`,
 * so with k = 10 a station seen 10 times keeps half its median residual and one seen 100 times 91 %;
 * k = 0 keeps it whole. Which k (if any) is used is chosen by cross-validation on the training days
 * alone (see {@link fitTravelModel}); a small grid, as the error is flat around its minimum. An
 * empirical-Bayes k instead (within- over between-station variance of the training days' residuals),
 * scored the same nested way on the week, did no better (24.8 % against the grid's 24.7 %).
 */
export const STATION_SHRINK_GRID: readonly number[] = [0, 5, 10, 20, 40];

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
 * convex in b (a convex function minimised over a), so a golden-section search over b finds the
 * minimum (52 steps: the slope to 10⁻¹⁰; Kiefer 1953). Cost O(52 · n log n), on typed arrays.
 */
function fitLad(xs: readonly TravelSample[]): { interceptS: number; slope: number } {
  const g = Float64Array.from(xs, (p) => p.graphS);
  const o = Float64Array.from(xs, (p) => p.observedS);
  const r = new Float64Array(xs.length);
  const at = (b: number) => {
    for (let i = 0; i < r.length; i++) r[i] = o[i] - b * g[i];
    const a = Math.max(0, sortedMedian(r.sort()));
    let cost = 0;
    for (let i = 0; i < r.length; i++) cost += Math.abs(r[i] - a);
    return { a, cost };
  };
  const phi = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [0, MAX_SLOPE];
  let [x1, x2] = [hi - phi * (hi - lo), lo + phi * (hi - lo)];
  let [f1, f2] = [at(x1).cost, at(x2).cost];
  while (hi - lo > 1e-10) {
    if (f1 <= f2) {
      [hi, x2, f2] = [x2, x1, f1];
      x1 = hi - phi * (hi - lo);
      f1 = at(x1).cost;
    } else {
      [lo, x1, f1] = [x1, x2, f2];
      x2 = lo + phi * (hi - lo);
      f2 = at(x2).cost;
    }
  }
  const slope = (lo + hi) / 2;
  return { interceptS: at(slope).a, slope };
}

/** Median of an ascending typed array. */
const sortedMedian = (s: Float64Array): number => (s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2);

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

/** The fits {@link fitTravelModel} chooses from, in order (the first wins a tie): see the module comment. */
export const TRAVEL_FITS: readonly TravelFit[] = [
  { weighting: 'squared', stationShrink: null },
  { weighting: 'absolute', stationShrink: null },
  ...STATION_SHRINK_GRID.map((k) => ({ weighting: 'absolute' as const, stationShrink: k })),
];

/** What every fit of one training set shares: both weightings' lines, and each station's median LAD residual. */
interface FitBasis {
  lines: Record<TravelWeighting, Record<string, TravelLine>>;
  residuals: Map<string, { medianS: number; n: number }>;
}

function fitBasis(train: readonly TravelSample[]): FitBasis {
  const absolute = fitLines(train, 'absolute');
  const residuals = new Map<string, { medianS: number; n: number }>();
  for (const [k, g] of [...groupBy(train, (s) => [s.stationId])].sort(([a], [b]) => (a < b ? -1 : 1)))
    residuals.set(k, { medianS: median(g.map((s) => s.observedS - modelTravelS({ lines: absolute }, s.graphS, s.emergency, s))), n: g.length });
  return { lines: { squared: fitLines(train, 'squared'), absolute }, residuals };
}

/** One fit of a basis: its lines and station terms `median residual × n / (n + k)` (none when `stationShrink` is null). */
function modelOf(b: FitBasis, fit: TravelFit): Pick<TravelModel, 'lines' | 'stations'> {
  const k = fit.stationShrink;
  const stations: Record<string, StationTerm> = {};
  if (k !== null) for (const [id, r] of b.residuals) stations[id] = { offsetS: (r.medianS * r.n) / (r.n + k), n: r.n };
  return { lines: b.lines[fit.weighting], stations };
}

type Pairs = { predictedS: number; observedS: number }[];

/**
 * Chooses a fit by leave-one-day-out over `days` (each day predicted by the fit on the others of
 * `days` only): the lowest median absolute error wins, the first of {@link TRAVEL_FITS} on a tie.
 * @param basisOf the basis fitted on `days` minus the given days (cached: a fold's basis is fitted once)
 * @returns the chosen fit, every fit's error (empty errors with fewer than 2 days: the first fit wins)
 */
function chooseFit(days: readonly string[], byDay: Map<string, TravelSample[]>, basisOf: (without: string[]) => FitBasis) {
  const alternatives: (TravelAlternative & { pairs: Pairs })[] = TRAVEL_FITS.map((fit) => {
    const pairs: Pairs = [];
    if (days.length >= 2)
      for (const day of days) {
        const m = modelOf(basisOf([day]), fit);
        for (const s of byDay.get(day) ?? []) pairs.push({ predictedS: modelTravelS(m, s.graphS, s.emergency, s), observedS: s.observedS });
      }
    return { ...fit, stationTerms: fit.stationShrink !== null, ...travelError(pairs), pairs };
  });
  const best = alternatives.reduce((a, b) => (b.medianAbsPctError < a.medianAbsPctError ? b : a));
  return { fit: { weighting: best.weighting, stationShrink: best.stationShrink }, alternatives };
}

/**
 * Nested leave-one-day-out: for each day, a fit is chosen by {@link chooseFit} on the other days
 * alone (an inner leave-one-day-out), fitted on them, and scored on the day. The choice of a fold
 * never sees its day, so the pooled error is an honest estimate of the whole procedure's error
 * (Varma & Simon 2006, "Bias in error estimation when using cross-validation for model selection",
 * BMC Bioinformatics 7:91; Cawley & Talbot 2010, JMLR 11). With 2 days a fold has one other day, on
 * which no choice can be cross-validated: the first of {@link TRAVEL_FITS} is used. One day: no estimate.
 */
function nestedCrossValidation(days: readonly string[], byDay: Map<string, TravelSample[]>, basisOf: (without: string[]) => FitBasis): TravelModel['crossValidation'] {
  const all: Pairs = [];
  const perDay: TravelModel['crossValidation']['perDay'] = [];
  if (days.length >= 2)
    for (const day of days) {
      const { fit } = chooseFit(
        days.filter((d) => d !== day),
        byDay,
        (without) => basisOf([day, ...without]),
      );
      const m = modelOf(basisOf([day]), fit);
      const held = (byDay.get(day) ?? []).map((s) => ({ predictedS: modelTravelS(m, s.graphS, s.emergency, s), observedS: s.observedS }));
      all.push(...held);
      perDay.push({ day, fit, ...travelError(held) });
    }
  return { ...travelError(all), nested: true, perDay };
}

/**
 * Leave-one-day-out error of the one-factor fit through the origin (the earlier drill calibration).
 */
function baselineError(days: readonly string[], xs: readonly TravelSample[]): TravelError {
  const pairs: Pairs = [];
  if (days.length >= 2)
    for (const day of days) {
      const k = fitOrigin(xs.filter((s) => s.day !== day));
      for (const s of xs) if (s.day === day) pairs.push({ predictedS: k * s.graphS, observedS: s.observedS });
    }
  return travelError(pairs);
}

/**
 * Fits the travel model on historical responses (see the module comment): the fit chosen by
 * leave-one-day-out over every day, fitted on every day; its error by nested leave-one-day-out;
 * beside it the one-factor baseline's leave-one-day-out error. Run time: 1 + d + d(d−1)/2 fits of
 * both line families for d days (37 for the 8-day week, about a second).
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
  const days = [...new Set(xs.map((s) => s.day))].sort();
  const byDay = groupBy(xs, (s) => [s.day]);
  // A basis per set of left-out days: the nested folds share them (leaving out {a, b} is one fit).
  const bases = new Map<string, FitBasis>();
  const basisOf = (without: string[]): FitBasis => {
    const key = [...without].sort().join(' ');
    let b = bases.get(key);
    if (!b) bases.set(key, (b = fitBasis(xs.filter((s) => !without.includes(s.day)))));
    return b;
  };
  const chosen = chooseFit(days, byDay, basisOf);
  const { weighting, stationShrink } = chosen.fit;
  return {
    method:
      `${weighting === 'absolute' ? 'least absolute deviations (median regression)' : 'ordinary least squares'} ` +
      'of observed travel (on scene − en route) on graph travel time from the unit’s station, with an intercept, ' +
      `one line per response mode (priority 1 = emergency) and unit type (a group under ${MIN_GROUP_SAMPLES} responses uses its mode’s line)` +
      (stationShrink !== null ? `, plus a term per home station (its median residual × n / (n + ${stationShrink}))` : '') +
      `; chosen of ${TRAVEL_FITS.length} fits (weighting, station terms and their shrink) by the lowest leave-one-day-out median error; ` +
      'error by nested leave-one-day-out (each day scored by the fit chosen and fitted on the other days only)',
    weighting,
    stationShrink,
    alternatives: chosen.alternatives.map(({ pairs: _pairs, ...a }) => a),
    fittedAt,
    sample: {
      responses: xs.length,
      days,
      unitTypes: [...new Set(xs.map((s) => s.unitType))].sort(),
      filter: `graph time ≥ 5 s and observed ${OBSERVED_RANGE_S[0]}..${OBSERVED_RANGE_S[1]} s (${samples.length - xs.length} of ${samples.length} left out)`,
    },
    ...modelOf(basisOf([]), chosen.fit),
    turnout,
    crossValidation: nestedCrossValidation(days, byDay, basisOf),
    baseline: { ...baselineError(days, xs), method: 'graph time × k, least squares through the origin (the earlier drill calibration)' },
  };
}

/** The model before any fit: graph time as it is, NFPA turnout (a city imported without response times). */
export function uncalibratedTravelModel(fittedAt: string): TravelModel {
  const none = { n: 0, medianAbsPctError: NaN, rmseS: NaN };
  return {
    method: 'uncalibrated: graph travel time as it is (no historical responses to fit on)',
    weighting: 'squared',
    stationShrink: null,
    alternatives: [],
    fittedAt,
    sample: { responses: 0, days: [], unitTypes: [], filter: '' },
    lines: {},
    stations: {},
    turnout: {},
    crossValidation: { ...none, nested: true, perDay: [] },
    baseline: { ...none, method: 'none' },
  };
}
