import { fitTravelModel, JurisdictionIndex } from '@cad/domain';
import { loadRoadNetwork } from '../apps/api/src/routing/routing.providers';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../apps/api/src/config/config';
import { DrillHost, runDrill, startDrillHost } from '../apps/api/src/drill/drill-runner';
import { DRILL_POLICIES } from '../apps/api/src/drill/drill-run';
import type { PolicyRow } from '../apps/api/src/drill/report';
import { groupStats, type ReportCall, type UnitTimes } from '../apps/api/src/drill/report-intervals';
import { graphTimesOn } from '../apps/api/src/routing/travel-model.service';
import { buildCityChain } from '../db/import/boundaries';
import { readCityProfile } from '../db/import/city-profile';
import { DEFAULT_CITY_PROFILE } from '../db/import/import-sf';
import { placementAgreement } from '../db/import/placement-agreement';
import { sfScenario } from '../db/import/scenarios';
import { readSfCalls } from '../db/import/sf-calls';
import { deriveUnitsAndStations, stationIdOf } from '../db/import/stations';
import { travelSamplesOf } from '../db/import/travel-model';

/**
 * `npm run bench:fidelity` (a benchmark, not a test; issue 20): does the system reproduce the city's
 * own history? Writes `bench/results/fidelity.json`:
 *
 * - ETA: the travel model's own nested leave-one-day-out median absolute % error and RMSE on the
 *   week's engine and truck responses (`crossValidation`: each day scored by the fit chosen and fitted
 *   on the other days only), beside the one-factor fit through the origin (the baseline, same run).
 * - Drill: the week (or `BENCH_FROM`..`BENCH_TO`) replayed under `nearest` through the real API,
 *   queues and dispatch; simulated over historical p50/p90 of first-unit travel, call processing and
 *   total response for the same calls (the report's validation section).
 * - Boundaries: agreement of our placement with the data's own district and neighborhood columns,
 *   overall and beyond 10 m of every boundary line.
 * - Surge (part 4): the same span with the calls compressed 4-fold (and 3-fold beside it; the factor
 *   is never tuned), replayed under `nearest`, `optimised` and `moveups` (optimised with move-ups,
 *   simulated consents) through the real API, queues and dispatch, each in its own world: the
 *   late-arrival share of P1 calls per policy and the mean response of move-ups over nearest.
 *
 * `BENCH_FROM`/`BENCH_TO` (local days, default the week 2016-12-31..2017-01-07) set the span of every
 * drill, `BENCH_SURGE_FROM`/`BENCH_SURGE_TO` that of the surge drills alone (the notes say so); `BENCH_SKIP_DRILL=1` measures the ETA and boundary parts only; `BENCH_SKIP_SURGE=1` skips the
 * surge drills.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env });
  const callsFile = config.dataFile(config.CALLS_FILE);
  const zone = config.DATA_TIME_ZONE;
  const load0 = os.loadavg();

  // ETA: the travel model's own error (nested leave-one-day-out), from the same homes the import derives.
  const t0 = performance.now();
  const network = loadRoadNetwork(config);
  const { rows } = readSfCalls(callsFile, zone);
  const { units } = deriveUnitsAndStations(rows, new Map());
  // As the import: units whose station the data cannot place are out of service and not fitted from.
  const homes = units.filter((u) => !u.unplaced).map((u) => ({ id: u.id, unitType: u.unitType, lat: u.base.lat, lon: u.base.lon, stationId: u.stationNumber === null ? null : stationIdOf(u.stationNumber) }));
  const scenario = sfScenario(callsFile, zone);
  const { samples, turnouts } = travelSamplesOf(scenario.calls, homes, graphTimesOn(network));
  const model = fitTravelModel(samples, turnouts, new Date().toISOString());
  console.log(
    `ETA (nested leave-one-day-out, ${model.crossValidation.n} engine/truck responses): median error ${pct(model.crossValidation.medianAbsPctError)}, RMSE ${model.crossValidation.rmseS.toFixed(0)} s; ` +
      `one-factor baseline ${pct(model.baseline.medianAbsPctError)}, ${model.baseline.rmseS.toFixed(0)} s (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  // Boundaries.
  const readFc = (f: string) => JSON.parse(fs.readFileSync(config.dataFile(f), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  // San Francisco's command chain as the import builds it (through its city profile).
  const profile = readCityProfile(DEFAULT_CITY_PROFILE);
  const chain = buildCityChain(
    { cityId: profile.id, cityName: profile.name, districts: profile.boundaries.districts, streets: profile.boundaries.streets },
    readFc(config.DISTRICTS_FILE),
    readFc(config.NEIGHBORHOODS_FILE),
    config.STREET_MIN_AREA_M2,
  );
  const placement = placementAgreement(callsFile, new JurisdictionIndex(chain, 10));
  console.log(
    `placement (${placement?.calls} calls): district ${pct(placement?.districtAgreement)}, neighborhood ${pct(placement?.streetAgreement)}, ` +
      `beyond 10 m of a line ${pct(placement?.agreementBeyondTolerance)} of ${placement?.callsBeyondTolerance}`,
  );

  // Drill under nearest, the week.
  const from = process.env.BENCH_FROM ?? '2016-12-31';
  const to = process.env.BENCH_TO ?? '2017-01-07';
  // The surge drills (six runs) may replay a shorter span than the validation drill (BENCH_SURGE_FROM/TO).
  const surgeFrom = process.env.BENCH_SURGE_FROM ?? from;
  const surgeTo = process.env.BENCH_SURGE_TO ?? (process.env.BENCH_SURGE_FROM ? surgeFrom : to);
  let drill: Record<string, unknown> | null = null;
  const surges: Record<string, PolicyRow[]> = {};
  if (process.env.BENCH_SKIP_DRILL !== '1') {
    const host = await startDrillHost(process.env.BENCH_DB ?? 'cad_bench_fidelity', () => undefined);
    try {
      const v = await runDrill(host, { scenario: 'sf-north', day: from, toDay: to, speed: 'max', policy: 'nearest', seed: 1 }, (l) => console.log(l), 10_000);
      const report = await host.reports.report(v.id);
      const val = report.validation.rows;
      drill = {
        id: v.id,
        state: v.state,
        calls: v.calls,
        posted: v.posted,
        wall_s: round(v.wallSeconds, 1),
        validation: val,
        drill_first_unit_travel_p50_ratio: val.travelFirstUnit.p50Ratio,
        drill_first_unit_travel_p90_ratio: val.travelFirstUnit.p90Ratio,
        drill_call_processing_p90_ratio: val.callProcessing.p90Ratio,
        drill_total_response_p90_ratio: val.totalResponse.p90Ratio,
      };
      console.log(`drill ${v.id}: ${v.state}, ${v.posted} calls in ${v.wallSeconds.toFixed(0)} s`);
      for (const [k, r] of Object.entries(val)) console.log(`  ${k.padEnd(16)} p50 ${r.simP50} vs ${r.histP50} (×${r.p50Ratio})   p90 ${r.simP90} vs ${r.histP90} (×${r.p90Ratio})`);
      // Per priority: the historical tail is the non-emergency (P2) calls' (issue 20 analysis, README).
      const pick = (g: (typeof report.byPriority)[string]) =>
        Object.fromEntries(
          (['callProcessing', 'travelFirstUnit', 'totalResponse'] as const).map((m) => {
            const { sim, hist } = g[m];
            const r = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 3) : null);
            return [m, { n: sim.n, histN: hist.n, simP50: sim.p50, histP50: hist.p50, p50Ratio: r(sim.p50, hist.p50), simP90: sim.p90, histP90: hist.p90, p90Ratio: r(sim.p90, hist.p90) }];
          }),
        );
      drill.by_priority = Object.fromEntries(Object.entries(report.byPriority).map(([k, g]) => [k, { calls: g.calls, ...pick(g) }]));
      for (const [k, g] of Object.entries(drill.by_priority as Record<string, Record<string, { p90Ratio: number | null }>>)) {
        console.log(`  ${k}: first-unit travel p90 ×${g.travelFirstUnit.p90Ratio}, total response p90 ×${g.totalResponse.p90Ratio}`);
      }
      drill.same_kind = sameKind(host, v.id);
      console.log(`  calls history sent an engine or truck to: ${JSON.stringify(drill.same_kind)}`);
      // The same week with the city's response plans instead of each call's historical first alarm (the run above).
      if (process.env.BENCH_SKIP_CITY_PLANS !== '1') {
        const c = await runDrill(host, { scenario: 'sf-north', day: from, toDay: to, speed: 'max', policy: 'nearest', seed: 1, plans: 'city' }, (l) => console.log(l), 10_000);
        const cityVal = (await host.reports.report(c.id)).validation.rows;
        drill.city_plans = {
          what: "the same week, nearest, seed 1, with the city's response plans (per call type and priority) instead of the first alarm history sent to each call",
          id: c.id,
          validation: cityVal,
          same_kind: sameKind(host, c.id),
        };
        console.log(`  with the city's plans: first-unit travel p50 ×${cityVal.travelFirstUnit.p50Ratio}, p90 ×${cityVal.travelFirstUnit.p90Ratio}; total response p90 ×${cityVal.totalResponse.p90Ratio}`);
      }
      if (process.env.BENCH_SKIP_SURGE !== '1') for (const factor of [4, 3]) surges[factor] = await surge(host, surgeFrom, surgeTo, factor);
    } finally {
      await host.close();
    }
  }

  const inBand = (x: unknown) => typeof x === 'number' && x >= 0.9 && x <= 1.1;
  const out = {
    bench: 'fidelity',
    scenario: 'sf-north',
    from,
    to,
    eta_median_abs_pct_error: round(model.crossValidation.medianAbsPctError, 4),
    eta_rmse_s: round(model.crossValidation.rmseS, 1),
    eta_responses: model.crossValidation.n,
    eta_what:
      'the travel model’s own crossValidation: nested leave-one-day-out (each day scored by the fit chosen, by an inner leave-one-day-out, and fitted on the other days only); ' +
      'travel_model.alternatives are the plain leave-one-day-out figures the final choice was made on (optimistic for the chosen fit)',
    drill_first_unit_travel_p50_ratio: drill?.drill_first_unit_travel_p50_ratio ?? null,
    drill_first_unit_travel_p90_ratio: drill?.drill_first_unit_travel_p90_ratio ?? null,
    drill_call_processing_p90_ratio: drill?.drill_call_processing_p90_ratio ?? null,
    drill_total_response_p90_ratio: drill?.drill_total_response_p90_ratio ?? null,
    district_agreement: placement ? round(placement.districtAgreement, 4) : null,
    street_agreement: placement ? round(placement.streetAgreement, 4) : null,
    agreement_beyond_10m: placement ? round(placement.agreementBeyondTolerance, 4) : null,
    calls_beyond_10m: placement?.callsBeyondTolerance ?? null,
    ...surgeFields(4, surges[4]),
    ...surgeFields(3, surges[3]),
    surge: {
      from: surgeFrom,
      to: surgeTo,
      what:
        'the same calls with their receipt offsets divided by the factor (call processing, turnout, on scene and travel not compressed), replayed under each policy in its own world; ' +
        'a P1 call is late when its first engine arrives more than 240 s, or (ALS in its plan) its first ALS unit more than 480 s, after the call reached dispatch (wait for a unit + travel), or never',
      runs: surges,
    },
    baseline: {
      what: 'the one-factor travel fit through the origin (graph × k, the earlier drill calibration), leave-one-day-out in the same run (one fit, no choice to nest)',
      eta_median_abs_pct_error: round(model.baseline.medianAbsPctError, 4),
      eta_rmse_s: round(model.baseline.rmseS, 1),
    },
    travel_model: {
      method: model.method,
      weighting: model.weighting,
      station_shrink: model.stationShrink,
      lines: model.lines,
      stations: model.stations,
      turnout: model.turnout,
      alternatives: model.alternatives,
      per_day: model.crossValidation.perDay,
    },
    drill,
    placement_examples: placement?.examples ?? [],
    targets: {
      eta_median_abs_pct_error: 0.25,
      drill_ratios: [0.9, 1.1],
      agreement_beyond_10m: 1,
      surge4_moveups_late_share_at_most: '0.85 x surge4_late_share_nearest',
      surge4_mean_response_ratio_moveups: 1.05,
    },
    met: {
      eta_median_abs_pct_error: model.crossValidation.medianAbsPctError <= 0.25,
      drill_ratios: drill
        ? ['drill_first_unit_travel_p50_ratio', 'drill_first_unit_travel_p90_ratio', 'drill_call_processing_p90_ratio', 'drill_total_response_p90_ratio'].every((k) => inBand(drill![k]))
        : null,
      agreement_beyond_10m: placement ? placement.agreementBeyondTolerance === 1 : null,
      surge4: surgeMet(surges[4]),
    },
    load_average_at_start: load0.map((x) => round(x, 2)),
    load_average_at_end: os.loadavg().map((x) => round(x, 2)),
    notes:
      'Shared 2-core machine with other engineers loading it (see the load averages); ratios and errors do not depend on load, wall times do.' +
      (surgeFrom !== from || surgeTo !== to ? ` The validation drill replays ${from}..${to}; the surge drills (six runs) replay ${surgeFrom}..${surgeTo} only, for time.` : ''),
    node: process.version,
    date: new Date().toISOString(),
  };
  const file = path.resolve('bench/results/fidelity.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`written ${file}`);
}

/**
 * Replays `from`..`to` compressed `factor`-fold under every drill policy, one after another, each in
 * its own world; @returns the policy rows (late-arrival share, mean and p90 response, ratios over nearest)
 */
async function surge(host: DrillHost, from: string, to: string, factor: number): Promise<PolicyRow[]> {
  const ids: string[] = [];
  for (const policy of DRILL_POLICIES) {
    const v = await runDrill(host, { scenario: 'sf-north', day: from, toDay: to, speed: 'max', policy, seed: 1, surge: factor }, (l) => console.log(l), 10_000);
    if (v.state !== 'finished') throw new Error(`surge x${factor} ${policy}: drill ${v.id} ${v.state}: ${v.error ?? ''}`);
    console.log(`surge x${factor} ${policy}: ${v.posted} calls in ${v.wallSeconds.toFixed(0)} s${v.moveUps ? `; move-ups ${JSON.stringify(v.moveUps)}` : ''}`);
    ids.push(v.id);
  }
  const rows = (await host.reports.comparePolicies(ids)).policies ?? [];
  for (const r of rows) console.log(`  x${factor} ${r.policy.padEnd(10)} late ${r.lateCalls}/${r.p1Calls} (${pct(r.lateShare ?? undefined)}), mean ${r.meanResponseS} s (×${r.meanResponseRatio}), p90 ${r.p90ResponseS} s`);
  return rows;
}

/**
 * Like with like: first-unit travel and total response, simulated over historical, over the calls
 * whose historical response included an engine or a truck (the unit the drill's plans send first to
 * nearly every call), so that both sides' first arrival can be a fire unit. The rest are mostly
 * non-emergency medical calls SFFD answered with an ambulance alone, from anywhere in the city.
 */
function sameKind(host: DrillHost, runId: string): Record<string, unknown> {
  const run = host.drills.get(runId);
  const simBy = new Map<string, UnitTimes[]>();
  for (const x of run.sims.values()) {
    const l = simBy.get(x.callId) ?? simBy.set(x.callId, []).get(x.callId)!;
    l.push({ unitId: x.unitId, unitType: x.unitType, dispatch: x.dispatchedAt.getTime(), enRoute: x.enRouteAt?.getTime() ?? null, onScene: x.onSceneAt?.getTime() ?? null, clear: x.clearedAt?.getTime() ?? null });
  }
  const ms = (d: Date | null) => d?.getTime() ?? null;
  const calls: ReportCall[] = run.calls
    .filter((c) => c.units.some((u) => u.unitType === 'ENGINE' || u.unitType === 'TRUCK'))
    .map((c) => ({
      callId: c.externalId,
      type: c.type,
      priority: c.priority,
      district: '',
      street: '',
      received: c.received.getTime(),
      sim: simBy.get(c.externalId) ?? [],
      hist: c.units.map((u) => ({ unitId: u.unitId, unitType: u.unitType, dispatch: ms(u.dispatch), enRoute: ms(u.enRoute), onScene: ms(u.onScene), clear: ms(u.available) })),
    }));
  const g = groupStats(calls);
  const r = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 3) : null);
  const row = (m: 'travelFirstUnit' | 'totalResponse') => ({ simP50: g[m].sim.p50, histP50: g[m].hist.p50, p50Ratio: r(g[m].sim.p50, g[m].hist.p50), simP90: g[m].sim.p90, histP90: g[m].hist.p90, p90Ratio: r(g[m].sim.p90, g[m].hist.p90) });
  return { calls: calls.length, of: run.calls.length, travelFirstUnit: row('travelFirstUnit'), totalResponse: row('totalResponse') };
}

/** The benchmark's surge fields for one factor (null when not measured). */
function surgeFields(factor: number, rows: PolicyRow[] | undefined): Record<string, number | null> {
  const of = (p: string) => rows?.find((r) => r.policy === p);
  return {
    [`surge${factor}_late_share_nearest`]: of('nearest')?.lateShare ?? null,
    [`surge${factor}_late_share_optimised`]: of('optimised')?.lateShare ?? null,
    [`surge${factor}_late_share_moveups`]: of('moveups')?.lateShare ?? null,
    [`surge${factor}_mean_response_ratio_moveups`]: of('moveups')?.meanResponseRatio ?? null,
    // Of nearest's late calls, the share a policy could change (a wait for a unit, a unit set off too far);
    // the rest is the drawn travel's spread and ambulance travel drawn from history (common to every policy).
    [`surge${factor}_nearest_late_share_a_policy_can_change`]: changeable(of('nearest')),
  };
}

/** Of a run's late calls, the share late by a wait for a unit or a unit too far (`lateCauses`); null without late calls or causes. */
function changeable(row: PolicyRow | undefined): number | null {
  const c = row?.lateCauses;
  if (!c || !row!.lateCalls) return null;
  return round((c.waitedForUnit + c.farFromUnit) / row!.lateCalls, 4);
}

/** Issue 20's surge target: move-ups at least 15 % fewer late arrivals than nearest, mean response at most 5 % higher. */
function surgeMet(rows: PolicyRow[] | undefined): boolean | null {
  const n = rows?.find((r) => r.policy === 'nearest');
  const m = rows?.find((r) => r.policy === 'moveups');
  if (!n || !m || n.lateShare === null || m.lateShare === null || m.meanResponseRatio === null) return null;
  return m.lateShare <= 0.85 * n.lateShare && m.meanResponseRatio <= 1.05;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
