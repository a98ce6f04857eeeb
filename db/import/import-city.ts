import { Agency, Capability, derivePlans, JurisdictionIndex, lifelineRunCards, priorityFromSf, ResponsePlan } from '@cad/domain';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { Jurisdiction, ResponsePlanRow, ResponsePlanVariantRow, Station, Unit } from '../entities';
import { buildCityChain } from './boundaries';
import { CityProfile, profileDataFile, profileOwnFile } from './city-profile';
import { FleetUnit, readFleetFile } from './fleet';
import { readColumnMapping, readMappedCalls } from './generic-calls';
import { placementAgreement, PlacementAgreement } from './placement-agreement';
import { readPlansFile } from './plans-file';
import { readSfCalls, RowProblem } from './sf-calls';
import { BASE_UNKNOWN, BasePosition, deriveUnitsAndStations, MIN_BASE_RESPONSES, readStationsFile, stationIdOf } from './stations';

/** What an import stored. */
export interface ImportSummary {
  cities: number;
  districts: number;
  streets: number;
  stations: number;
  units: number;
  plans: number;
  /** Calls-history rows that could not be read, by line. */
  badRows: RowProblem[];
  /** Agreement of our placement with the data's own district and neighborhood columns (null without them: another city's data). */
  placement?: PlacementAgreement | null;
}

/** What a city import stored and reported. */
export interface CityImportSummary extends ImportSummary {
  city: string;
  /** Units imported out of service because their type maps to no capability (line numbers: fleet file or calls file). */
  notDispatchable: { unitId: string; unitType: string; line: number | null; reason: string }[];
  /** Units this import would have put out of service but left as they were: on a task, or out of service by a person. */
  leftAsIs: { unitId: string; unitType: string; line: number | null; reason: string }[];
  /** Fleet-file rows not imported, by line. */
  fleetProblems: RowProblem[];
  /** Units per agency. */
  agencies: Partial<Record<Agency, number>>;
}

/** Options of {@link importCity}. */
export interface CityImportOptions {
  /** The data folder the profile's files are read from (`DATA_DIR`). */
  dataDir: string;
  /** Also import the profile's illustrative units (`fleet.illustrativeFile`). */
  illustrative?: boolean;
  /** File names replacing the profile's (the legacy `CALLS_FILE`, `DISTRICTS_FILE`, ... settings). */
  files?: { calls?: string; districts?: string; streets?: string; stations?: string };
  /** Boundary tolerance of the placement, metres (`BOUNDARY_TOLERANCE_M`; default the index's). */
  boundaryToleranceM?: number;
  /** Called as each step starts (`step` of `total`), for a progress bar. */
  onProgress?: (step: number, total: number, label: string) => void;
}

const STEPS = ['boundaries', 'command chain', 'calls and fleet', 'response plans', 'write'] as const;

/**
 * Imports a city through its profile, in one transaction: the command chain (city, districts,
 * streets) from its boundary files, stations and units (from its SFFD history or its fleet file, each
 * with its agency), and response plans (derived from the history, or the profile's plans file; the
 * lifeline alarm types' run cards name the utility crews the fleet has, see `lifelineRunCards`).
 * Re-running it updates what is there; it changes a unit's status (and then its position) only where an
 * import set it or would: never a unit on a task, nor one a person took out of service. A unit whose
 * type maps to nothing is imported out of service (`out_of_service_by` = `import:unmapped-type`) and
 * reported, never dispatched; so is an engine or truck whose station the data cannot place (`BASE_UNKNOWN`,
 * see `MIN_BASE_RESPONSES`).
 * @throws Error naming the missing file (its absolute path, the profile key and the data folder), or
 *   the boundary file and property a feature lacks; nothing is written then
 */
export async function importCity(ds: DataSource, profile: CityProfile, opts: CityImportOptions): Promise<CityImportSummary> {
  const progress = (i: number) => opts.onProgress?.(i, STEPS.length, STEPS[i]);
  const file = (name: string, key: string) => profileDataFile(profile, opts.dataDir, name, key);
  const b = profile.boundaries;
  progress(0);
  const districtsFile = file(opts.files?.districts ?? b.districts.file, 'boundaries.districts.file');
  const streetsFile = file(opts.files?.streets ?? b.streets.file, 'boundaries.streets.file');
  const callsFile = file(opts.files?.calls ?? profile.calls.file, 'calls.file');
  const stationsName = opts.files?.stations ?? profile.fleet.stationsFile;
  const stationsFile = stationsName ? file(stationsName, 'fleet.stationsFile') : undefined;
  const readFc = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const districtsFc = readFc(districtsFile);
  const streetsFc = readFc(streetsFile);
  progress(1);
  const chain = buildCityChain(
    { cityId: profile.id, cityName: profile.name, districts: b.districts, streets: b.streets, files: { districts: districtsFile, streets: streetsFile } },
    districtsFc,
    streetsFc,
    b.streetMinAreaM2,
  );
  const index = new JurisdictionIndex(chain, opts.boundaryToleranceM);
  progress(2);
  const overrides = stationsFile ? readStationsFile(stationsFile) : new Map<number, { lat: number; lon: number; name?: string }>();
  let units: (FleetUnit | (ReturnType<typeof deriveUnitsAndStations>['units'][number] & { agency: Agency }))[];
  let stations: Map<number, BasePosition & { name: string }>;
  let badRows: RowProblem[];
  let fleetProblems: RowProblem[] = [];
  const notDispatchable: CityImportSummary['notDispatchable'] = [];
  const leftAsIs: CityImportSummary['notDispatchable'] = [];
  let history: ReturnType<typeof readSfCalls>['rows'] = [];
  if ('format' in profile.calls) {
    const read = readSfCalls(callsFile, profile.timeZone);
    history = read.rows;
    badRows = read.problems;
  } else {
    badRows = readMappedCalls(callsFile, readColumnMapping(profileOwnFile(profile, profile.calls.mapping, 'calls.mapping'))).problems;
  }
  if ('source' in profile.fleet) {
    const derived = deriveUnitsAndStations(history, overrides, profile.unitTypes);
    // The SFFD data set is the fire department's own: its medics are fire department units.
    units = derived.units.map((u) => ({ ...u, agency: 'fire' as const }));
    stations = derived.stations;
    for (const u of units) {
      const reason =
        u.dispatchable === false
          ? `type "${u.unitType}" maps to no capability: imported out of service`
          : u.unplaced
            ? `its station is not placed: its engines and trucks made fewer than ${MIN_BASE_RESPONSES} timed responses in the data (give the station in a stations file: the city profile's fleet.stationsFile, or npm run import -- --stations): imported out of service`
            : null;
      if (reason) notDispatchable.push({ unitId: u.id, unitType: u.unitType, line: history.find((r) => r.unitId === u.id)?.line ?? null, reason });
    }
  } else {
    const fleet = readFleetFile(file(profile.fleet.file, 'fleet.file'), profile.unitTypes, overrides);
    units = fleet.units;
    stations = fleet.stations;
    fleetProblems = fleet.problems;
    notDispatchable.push(...fleet.unmappedTypes);
  }
  if (opts.illustrative && profile.fleet.illustrativeFile) {
    const extra = readFleetFile(profileOwnFile(profile, profile.fleet.illustrativeFile, 'fleet.illustrativeFile'), profile.unitTypes);
    fleetProblems = fleetProblems.concat(extra.problems);
    const known = new Set(units.map((u) => u.id));
    units = units.concat(extra.units.filter((u) => !known.has(u.id)));
  }
  progress(3);
  const plans: Map<string, ResponsePlan> =
    'derived' in profile.plans
      ? // Per call type, and per (type, priority) where the history has enough incidents (issue 20): the
        // priority the call was dispatched at, as the replay reads it (`priorityCode`, `priorityFromSf`).
        derivePlans(history.map((r) => ({ incidentKey: r.incidentNumber, callType: r.callType, unitType: r.unitType, priority: priorityFromSf(r.priorityCode) })))
      : readPlansFile(profileOwnFile(profile, profile.plans.file, 'plans.file'));
  // Lifeline alarms (issue 22) get the utility crews (and the police cordon) the fleet has.
  const fleetCaps = new Set(units.filter((u) => u.dispatchable !== false).flatMap((u) => u.capabilities as Capability[]));
  for (const card of lifelineRunCards(plans, fleetCaps)) plans.set(card.callType, card);
  progress(4);
  await ds.transaction(async (m) => {
    await m.upsert(Jurisdiction, chain, ['id']);
    await m.upsert(
      Station,
      [...stations].map(([num, s]) => ({
        id: stationIdOf(num),
        number: num,
        name: s.name,
        lat: s.lat,
        lon: s.lon,
        estimated: s.estimated,
        method: s.method,
        streetId: index.locate(s.lat, s.lon).streetId,
      })),
      ['id'],
    );
    // The import defines the live fleet; a drill's world is a copy made when it starts.
    const stored = new Map((await m.find(Unit, { select: { id: true, status: true, outOfServiceBy: true }, where: { world: 'live' } })).map((u) => [u.id, u]));
    for (const u of units) {
      const dispatchable = u.dispatchable !== false && !('unplaced' in u && u.unplaced);
      const reason = u.dispatchable === false ? 'import:unmapped-type' : BASE_UNKNOWN;
      const fixed = {
        callsign: u.id,
        unitType: u.unitType,
        capabilities: u.capabilities,
        agency: u.agency,
        stationId: u.stationNumber !== null && stations.has(u.stationNumber) ? stationIdOf(u.stationNumber) : null,
        homeStreetId: index.locate(u.base.lat, u.base.lon).streetId,
        homeLat: u.base.lat,
        homeLon: u.base.lon,
      };
      const was = stored.get(u.id);
      if (!was) {
        await m.insert(Unit, { world: 'live', id: u.id, status: 'available', ...fixed, lat: u.base.lat, lon: u.base.lon, ...(dispatchable ? {} : { status: 'out_of_service' as const, outOfServiceBy: reason }) });
        continue;
      }
      // A re-import changes a unit's status only where an import set it or may set it: never a unit on a
      // task, and never one a person took out of service (their reason stands).
      const byImport = was.status === 'out_of_service' && (was.outOfServiceBy ?? '').startsWith('import:');
      let status = {};
      if (!dispatchable && (was.status === 'available' || byImport)) status = { status: 'out_of_service' as const, outOfServiceBy: reason };
      // Back in service at its (now placed) home once the import can map and place it.
      else if (dispatchable && byImport) status = { status: 'available' as const, outOfServiceBy: null, lat: u.base.lat, lon: u.base.lon };
      else if (!dispatchable) leftAsIs.push({ unitId: u.id, unitType: u.unitType, line: null, reason: `${reason.slice(7)}: left ${was.status} (${was.outOfServiceBy ?? 'on a task'}); not changed by the import` });
      await m.update(Unit, { world: 'live', id: u.id }, { ...fixed, ...status });
    }
    // Stations an earlier import placed and this one does not (nothing places them now): removed unless still named.
    await m.query(
      `DELETE FROM station s WHERE NOT (s.id = ANY($1::varchar[]))
         AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.station_id = s.id) AND NOT EXISTS (SELECT 1 FROM move_up mv WHERE mv.to_station_id = s.id OR mv.from_station_id = s.id)`,
      [[...stations.keys()].map(stationIdOf)],
    );
    await m.upsert(
      ResponsePlanRow,
      [...plans.values()].map((p) => ({
        callType: p.callType,
        slots: p.slots as Record<string, number>,
        commandingTier: p.commandingTier,
        derivedFrom: p.derivedFrom,
        alarms: (p.alarms ?? null) as ResponsePlanRow['alarms'],
      })),
      ['callType'],
    );
    // Priority variants: the derived ones are replaced by this import's (a variant written by hand, derived from 0, stays).
    await m.query(`DELETE FROM response_plan_variant WHERE derived_from > 0`);
    const variants = [...plans.values()].flatMap((p) => p.variants ?? []);
    if (variants.length) {
      await m.upsert(
        ResponsePlanVariantRow,
        variants.map((v) => ({
          callType: v.callType,
          priority: v.priority!,
          slots: v.slots as Record<string, number>,
          commandingTier: v.commandingTier,
          derivedFrom: v.derivedFrom,
          alarms: (v.alarms ?? null) as ResponsePlanVariantRow['alarms'],
        })),
        ['callType', 'priority'],
      );
    }
  });
  const count = (level: string) => chain.filter((j) => j.level === level).length;
  const agencies: Partial<Record<Agency, number>> = {};
  for (const u of units) agencies[u.agency] = (agencies[u.agency] ?? 0) + 1;
  return {
    city: profile.id,
    cities: count('city'),
    districts: count('district'),
    streets: count('street'),
    stations: stations.size,
    units: units.length,
    plans: plans.size,
    badRows,
    // SFFD-format history carries the data's own district and neighborhood columns to compare with.
    placement: 'format' in profile.calls ? placementAgreement(callsFile, index) : null,
    notDispatchable,
    leftAsIs,
    fleetProblems,
    agencies,
  };
}
