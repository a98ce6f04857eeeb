import { fnv1a, isEmsUnit, modelTravelS, modeOf, mulberry32, quantile, turnoutS, usableSamples } from '@cad/domain';
import type { ScenarioCall } from '@cad/db';
import type { TravelLine, TravelModel, TravelSample } from '@cad/domain';
import { firstAlarmHadFireUnit } from './replayed-first-alarm';

const secs = (a: Date | null, b: Date | null) => (a && b && b >= a ? (b.getTime() - a.getTime()) / 1000 : null);


/** A typical time on scene when neither the call nor its unit type has data, seconds. */
export const DEFAULT_SCENE_S = 900;

/**
 * Simulated crews: turnout times drawn from the data's empirical distribution per unit type, and
 * on-scene (including transport, for ambulances) times from the data.
 *
 * - Turnout: for each unit type, the historical `en route − dispatch` seconds of the scenario's
 *   calls (0 < t ≤ 600 s; longer ones are stamps entered late). A draw picks one of them uniformly
 *   with a generator seeded by (run seed, call, the unit's place at the call: {@link unitPlace}), so the
 *   draw does not depend on the order in which the simulation asks. Unit types without data fall back
 *   to the NFPA 1710 target.
 * - Common random numbers: every draw is keyed by the unit's *place* at the call (its type and order of
 *   dispatch among the call's units of that type), never by which unit it is. Two policies that send
 *   different engines to a call give the first engine the same turnout and the same travel residual,
 *   so what differs between their runs is where the units set off from, not the luck of the draw
 *   (variance reduction by common random numbers: Law, *Simulation Modeling and Analysis*, 5th ed.,
 *   §11.2).
 * - On scene: `available − on scene` of the historical unit of the same type at the same call, else
 *   the median of that call's units, else the median of the unit type, else 900 s.
 * - Travel: an ambulance's drawn from history ({@link CrewModel.postedTravel}); a fire unit's is the
 *   travel model's median from where it is, times a residual ratio drawn from other days
 *   ({@link CrewModel.travelRatio}).
 */
export class CrewModel {
  private readonly turnouts = new Map<string, number[]>();
  private readonly sceneByType = new Map<string, number>();
  private readonly calls = new Map<string, ScenarioCall>();
  /** EMS travel seconds per `unit type|mode`, per local day (see {@link CrewModel.postedTravel}). */
  private readonly emsTravel = new Map<string, Map<string, number[]>>();
  /** Travel model residual ratios (observed / predicted) per line key, per local day (see {@link CrewModel.travelRatio}). */
  private readonly residuals = new Map<string, Map<string, number[]>>();
  private readonly lines: Record<string, TravelLine>;

  /**
   * @param calls every call of the scenario (the week)
   * @param seed the run's seed
   * @param travel the travel model and the historical responses it is fitted on (`travelSamplesOf`):
   *   their residuals give fire units' travel its spread; absent, fire units travel the model's median
   */
  constructor(
    calls: readonly ScenarioCall[],
    private readonly seed: number,
    travel?: { model: Pick<TravelModel, 'lines' | 'stations'>; samples: readonly TravelSample[] },
  ) {
    this.lines = travel?.model.lines ?? {};
    for (const t of travel ? usableSamples(travel.samples) : []) {
      const predicted = modelTravelS(travel!.model, t.graphS, t.emergency, { unitType: t.unitType, stationId: t.stationId ?? null });
      if (!(predicted > 0)) continue;
      for (const k of residualKeys(this.lines, t.emergency, t.unitType)) {
        const byDay = this.residuals.get(k) ?? this.residuals.set(k, new Map()).get(k)!;
        push(byDay, t.day, t.observedS / predicted);
      }
    }
    const scenes = new Map<string, number[]>();
    for (const c of calls) {
      this.calls.set(c.externalId, c);
      for (const u of c.units) {
        const t = secs(u.dispatch, u.enRoute);
        if (t !== null && t > 0 && t <= 600) push(this.turnouts, u.unitType, t);
        const s = secs(u.onScene, u.available);
        if (s !== null) push(scenes, u.unitType, s);
        const tr = secs(u.enRoute, u.onScene);
        if (isEmsUnit(u.unitType) && tr !== null && tr > 0 && tr <= MAX_EMS_TRAVEL_S) {
          for (const k of [`${u.unitType}|${modeKey(c.priority)}|${fireKey(c)}`, `${u.unitType}|${modeKey(c.priority)}`, `${u.unitType}|*`]) {
            const byDay = this.emsTravel.get(k) ?? this.emsTravel.set(k, new Map()).get(k)!;
            push(byDay, c.localDate, tr);
          }
        }
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
   * Turnout time of a unit for a call, seconds (deterministic for a seed, call and place).
   * @param callId the scenario call's external id
   * @param place the unit's place at the call ({@link unitPlace}: type and dispatch order), not its id
   */
  turnout(callId: string, place: string, unitType: string): number {
    const list = this.turnouts.get(unitType);
    if (!list?.length) return turnoutS({ turnout: {} }, unitType);
    const rnd = mulberry32(fnv1a(`${this.seed}:${callId}:${place}`));
    return list[Math.floor(rnd() * list.length)];
  }

  /**
   * Travel (en route → on scene, seconds) of an EMS unit (ambulance: `MEDIC`, `PRIVATE`; `RESCUE CAPTAIN`)
   * for a call, drawn from where the data says such units come from; null for every other unit type
   * (engines, trucks, chiefs: the travel model from where the unit is, see {@link CrewModel.travelRatio})
   * and when no other day has data.
   *
   * Why (issue 20, measured on the week's north strip): the data gives no origin for an ambulance. SFFD
   * and private ambulances are posted dynamically across the whole city and clear at hospitals the data
   * does not locate: of the strip's first-arriving ambulances, 55 % had their previous call outside
   * the strip, the median distance from their previous call is 2.0 km, and their travel is p50 441 s /
   * p90 1069 s against 140 s / 263 s for first-arriving engines. A drill that posts them inside the
   * strip and routes them from there has them arrive like engines (the validation's first-unit p90 of
   * 0.32). So their travel is drawn, uniformly, from the historical travel of the same unit type and
   * response mode (priority 1 = emergency) at calls whose first alarm in history did or did not hold an
   * engine or truck as this call's did (`firstAlarmHadFireUnit`), on days other than the call's own (leave
   * one day out, as call processing; 0 < t ≤ {@link MAX_EMS_TRAVEL_S}); fewer than
   * {@link MIN_PROCESSING_GROUP} such: of the type and mode, else of the type in any mode; with a
   * generator seeded by (run seed, call, place): never the call's own travel, and reproducible.
   * The first alarm matters: SFFD's ambulances reached priority 2 calls they were sent to alone at
   * p50 657 s / p90 1209 s (`MEDIC`, 237 responses), and those with an engine at 495 s / 1067 s (127), so
   * one pool for both gave ambulance-alone calls ambulances that came too soon.
   * @param callId the scenario call's external id
   * @param place the unit's place at the call ({@link unitPlace}), not its id (common random numbers)
   */
  postedTravel(callId: string, place: string, unitType: string): number | null {
    if (!isEmsUnit(unitType)) return null;
    const c = this.calls.get(callId);
    const day = c?.localDate;
    const others = (k: string) => this.otherDays(this.emsTravel, `ems|${k}`, k, day);
    const mode = modeKey(c?.priority ?? 1);
    const keys = [...(c ? [`${unitType}|${mode}|${fireKey(c)}`] : []), `${unitType}|${mode}`];
    const list = keys.map(others).find((l) => l.length >= MIN_PROCESSING_GROUP) ?? others(`${unitType}|*`);
    if (!list.length) return null;
    const rnd = mulberry32(fnv1a(`${this.seed}:travel:${callId}:${place}`));
    return list[Math.floor(rnd() * list.length)];
  }

  /**
   * Factor (observed / predicted, > 0) applied to the travel model's median travel of a fire unit (every
   * type but the EMS units of {@link CrewModel.postedTravel}) for a call; 1 for an EMS unit or when no
   * other day has residuals. Simulated travel = model travel from where the unit sets off × this factor.
   *
   * Why (issue 20): the travel model gives the conditional median; a drill that drives every trip at the
   * median has no spread, and its first-unit travel p90 for emergency calls was 0.78 of history's,
   * although the data's own noise (two responses by one unit to points under 75 m apart) is about 90 s SD.
   * So each trip draws, uniformly, one residual ratio `observed / predicted` of the historical
   * responses the model is fitted on (`travelSamplesOf`, within `usableSamples`), of the same line
   * (response mode and unit type as `lineFor` resolves them; fewer than {@link MIN_PROCESSING_GROUP}:
   * the mode's responses of every type, else every response), on days other than the call's own (leave
   * one day out, as {@link CrewModel.postedTravel}): never the call's own travel. The generator is seeded
   * by (run seed, call, place), so a run is reproducible and two policies draw alike. The median still comes from the unit's actual
   * start (position dependence kept); live ETAs are not touched (they stay the median).
   * @param callId the scenario call's external id (its day and priority; unknown: every day, emergency)
   * @param place the unit's place at the call ({@link unitPlace}), not its id (common random numbers)
   */
  travelRatio(callId: string, place: string, unitType: string): number {
    if (isEmsUnit(unitType)) return 1;
    const c = this.calls.get(callId);
    const day = c?.localDate;
    const lists = residualKeys(this.lines, (c?.priority ?? 1) === 1, unitType).map((k) => this.otherDays(this.residuals, `fire|${k}`, k, day));
    const list = lists.find((l) => l.length >= MIN_PROCESSING_GROUP) ?? lists.find((l) => l.length) ?? [];
    if (!list.length) return 1;
    const rnd = mulberry32(fnv1a(`${this.seed}:fire-travel:${callId}:${place}`));
    return list[Math.floor(rnd() * list.length)];
  }

  /** Sorted samples of other days than a call's, by group and day (see {@link otherDaysSorted}). */
  private readonly otherDaysMemo = new Map<string, number[]>();

  /** The samples of `byKey`'s group `k` of every day but `day`, ascending, remembered under `memoKey` and the day. */
  private otherDays(byKey: ReadonlyMap<string, ReadonlyMap<string, number[]>>, memoKey: string, k: string, day: string | undefined): number[] {
    return otherDaysSorted(this.otherDaysMemo, memoKey, byKey.get(k), day);
  }

  /** Number of travel model residuals per line key the drill may draw from (every day). */
  travelResidualSamples(): Record<string, number> {
    return Object.fromEntries([...this.residuals].map(([k, byDay]) => [k, [...byDay.values()].reduce((n, l) => n + l.length, 0)]));
  }

  /** Number of historical EMS travel samples per unit type (every day). */
  emsTravelSamples(): Record<string, number> {
    return Object.fromEntries(
      [...this.emsTravel].filter(([k]) => k.endsWith('|*')).map(([k, byDay]) => [k.slice(0, -2), [...byDay.values()].reduce((n, l) => n + l.length, 0)]),
    );
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

/**
 * A unit's place at a call, the key of its random draws ({@link CrewModel}): its type and its order of
 * dispatch among the call's units of that type, from 0 (`ENGINE#0` is the call's first engine, whichever
 * engine a policy sends).
 */
export function unitPlace(unitType: string, order: number): string {
  return `${unitType}#${order}`;
}

/** A task as {@link CallPlaces.placeAll} orders it. */
export interface PlacedTask {
  callId: string;
  unitId: string;
  unitType: string;
  /** When the unit was dispatched, epoch ms. */
  dispatchedMs: number;
  /** Its ETA at dispatch, seconds. */
  etaS: number;
}

/**
 * The places ({@link unitPlace}) units take at the calls of one drill run: the n-th unit of a type sent
 * to a call takes place n, whichever unit it is, so every policy's crews draw alike.
 */
export class CallPlaces {
  private readonly taken = new Map<string, number>();

  /**
   * Places of tasks seen for the first time, in a fixed order: by call, then dispatch time, then ETA (the
   * first engine is the closest one sent at once), then unit id. Each task takes the next free place of
   * its type at its call; a task is placed once (call it with new tasks only).
   * @returns the place of each task, in the order given
   */
  placeAll<T extends PlacedTask>(tasks: readonly T[]): string[] {
    const order = tasks.map((_, k) => k).sort((i, j) => {
      const [x, y] = [tasks[i], tasks[j]];
      return cmp(x.callId, y.callId) || x.dispatchedMs - y.dispatchedMs || x.etaS - y.etaS || cmp(x.unitId, y.unitId);
    });
    const out: string[] = new Array(tasks.length);
    for (const k of order) {
      const key = `${tasks[k].callId}|${tasks[k].unitType}`;
      const n = this.taken.get(key) ?? 0;
      this.taken.set(key, n + 1);
      out[k] = unitPlace(tasks[k].unitType, n);
    }
    return out;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Historical EMS travel above this (seconds) is a stamp pressed late, not a drive across the city; left out. */
export const MAX_EMS_TRAVEL_S = 1800;

/**
 * Residual pools of a response, most specific first: the line key the model resolves (`lineFor`:
 * `mode:TYPE`, else `mode:*`, else `*:*`), then the mode over every type, then every response.
 */
function residualKeys(lines: Record<string, TravelLine>, emergency: boolean, unitType: string): string[] {
  const m = modeOf(emergency);
  const own = lines[`${m}:${unitType}`] ? `${m}:${unitType}` : lines[`${m}:*`] ? `${m}:*` : '*:*';
  return [...new Set([`line ${own}`, `mode ${m}`, 'all'])];
}

/** Response mode of a call's priority: 1 drives with lights and sirens. */
const modeKey = (priority: number) => (priority === 1 ? 'emergency' : 'non-emergency');
function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/**
 * The travel model as a drill run shows it (`DrillRunView.calibration`): a fire unit's simulated travel is
 * the travel model's (`GET /api/travel-model`) for the unit type and response mode, from the road graph,
 * times a residual ratio of another day ({@link CrewModel.travelRatio}).
 */
export interface TravelCalibration {
  method: string;
  /** Responses the model was fitted on. */
  n: number;
  /** The model's nested leave-one-day-out RMSE, seconds, and median |predicted − observed| / observed (`crossValidation`). */
  rmseS: number;
  medianAbsPctError: number;
  /** The same for the earlier one-factor fit through the origin (plain leave-one-day-out: one fit, nothing chosen), for comparison. */
  baselineRmseS: number;
  baselineMedianAbsPctError: number;
  fittedAt: string;
}

/** The drill's summary of a travel model. */
export function calibrationOf(m: TravelModel): TravelCalibration {
  return {
    method: m.method,
    n: m.sample.responses,
    rmseS: m.crossValidation.rmseS,
    medianAbsPctError: m.crossValidation.medianAbsPctError,
    baselineRmseS: m.baseline.rmseS,
    baselineMedianAbsPctError: m.baseline.medianAbsPctError,
    fittedAt: m.fittedAt,
  };
}

/** A (call type, priority) group with fewer historical calls than this draws from its priority's calls instead. */
export const MIN_PROCESSING_GROUP = 5;

/** Historical call processing above this (seconds) is a call held or stacked, not processing; left out. */
export const MAX_PROCESSING_S = 1800;

/**
 * Call processing in a drill (received → first dispatch), drawn from the data of the *other* days
 * (leave one day out, per call): for each call, one of the historical `first unit dispatch − received`
 * seconds (0 ≤ t ≤ {@link MAX_PROCESSING_S}) of calls of the same type and priority on days other than
 * the call's own, else of the same priority, else of every call; uniformly, with a generator seeded by
 * (run seed, call), so a run is reproducible. A drill of the whole week thus draws each day's calls
 * from the other six days. With no other day in the data, 0 s (the system dispatches at once).
 */
export class CallProcessingModel {
  /** Per group key, the historical seconds per local day. */
  private readonly groups = new Map<string, Map<string, number[]>>();
  private readonly days = new Map<string, string>();

  /**
   * @param calls every call of the scenario (the week)
   * @param excluded local days (`YYYY-MM-DD`) never drawn from, besides each call's own
   */
  constructor(
    calls: readonly ScenarioCall[],
    excluded: ReadonlySet<string>,
    private readonly seed: number,
  ) {
    for (const c of calls) {
      this.days.set(c.externalId, c.localDate);
      if (excluded.has(c.localDate)) continue;
      const first = Math.min(...c.units.map((u) => u.dispatch?.getTime() ?? Infinity));
      if (!Number.isFinite(first)) continue;
      const t = (first - c.received.getTime()) / 1000;
      if (t < 0 || t > MAX_PROCESSING_S) continue;
      for (const k of [`${c.type}|${c.priority}`, `*|${c.priority}`, '*|*']) {
        const byDay = this.groups.get(k) ?? this.groups.set(k, new Map()).get(k)!;
        push(byDay, c.localDate, t);
      }
    }
  }

  /** Historical calls that may be drawn from (every day not excluded). */
  samples(): number {
    return [...(this.groups.get('*|*')?.values() ?? [])].reduce((n, l) => n + l.length, 0);
  }

  /** Sorted lists already built, by group and day left out (the groups never change after construction). */
  private readonly othersMemo = new Map<string, number[]>();

  /** The group's seconds on every day but `day`, sorted (see {@link otherDaysSorted}). */
  private others(key: string, day: string | undefined): number[] {
    return otherDaysSorted(this.othersMemo, key, this.groups.get(key), day);
  }

  /**
   * Simulated call processing of a call, seconds (deterministic for a seed and call), drawn from days
   * other than the call's own (its scenario day; an unknown call id draws from every day).
   */
  draw(callId: string, type: string, priority: number): number {
    const day = this.days.get(callId);
    const own = this.others(`${type}|${priority}`, day);
    const byPriority = this.others(`*|${priority}`, day);
    const list = own.length >= MIN_PROCESSING_GROUP ? own : byPriority.length ? byPriority : this.others('*|*', day);
    if (!list.length) return 0;
    const rnd = mulberry32(fnv1a(`${this.seed}:processing:${callId}`));
    return list[Math.floor(rnd() * list.length)];
  }
}

/**
 * The samples of every day but `day` of one group (`byDay`: samples per local day; undefined: none),
 * ascending: the list a draw picks from. Built once per `memoKey` and day in `memo` (issue 19's profile:
 * every draw sorted them again); the groups never change after construction, and callers only read it.
 */
function otherDaysSorted(memo: Map<string, number[]>, memoKey: string, byDay: ReadonlyMap<string, number[]> | undefined, day: string | undefined): number[] {
  const key = `${memoKey}|${day ?? ''}`;
  let list = memo.get(key);
  if (!list) {
    list = byDay ? [...byDay].filter(([d]) => d !== day).flatMap(([, l]) => l).sort((a, b) => a - b) : [];
    memo.set(key, list);
  }
  return list;
}

/** `F` when history's first alarm for the call held an engine or truck, else `-` (see `CrewModel.postedTravel`). */
function fireKey(c: ScenarioCall): string {
  return firstAlarmHadFireUnit(c) ? 'F' : '-';
}
