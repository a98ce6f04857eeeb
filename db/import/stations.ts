import { Capability, median, resolveUnitType, stationNumberOf } from '@cad/domain';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import { SfUnitResponse } from './sf-calls';

/** A base position: WGS84 degrees, with how it was obtained. */
export interface BasePosition {
  lat: number;
  lon: number;
  estimated: boolean;
  method: string;
  /** Number of responses the estimate rests on. */
  samples: number;
}

export const ESTIMATE_METHOD =
  'coordinate-wise median of the incidents reached fastest (lowest On Scene minus Response time, fastest quarter, at least 3) by this base';

/**
 * Estimates a base location from the responses made from it. Station locations are not in the SFFD
 * data, so: the incidents a base's units reached fastest are the ones closest to it; we take the
 * fastest quarter of responses with an en-route and an on-scene time (at least three, or all when
 * fewer) and their coordinate-wise median, which is robust to a few far-off or mis-geocoded points.
 * @returns null when no response has both times
 */
export function estimateBase(responses: SfUnitResponse[]): BasePosition | null {
  const timed = timedResponses(responses)
    .map((r) => ({ r, travel: r.onScene!.getTime() - r.response!.getTime() }))
    .sort((a, b) => a.travel - b.travel);
  if (timed.length === 0) return null;
  const k = Math.min(timed.length, Math.max(3, Math.ceil(timed.length / 4)));
  const best = timed.slice(0, k).map((t) => t.r);
  return {
    lat: median(best.map((r) => r.lat)),
    lon: median(best.map((r) => r.lon)),
    estimated: true,
    method: ESTIMATE_METHOD,
    samples: k,
  };
}

/**
 * Timed responses (en route and on scene stamped) a station's engines and trucks need in the data for the
 * import to place the station ({@link estimateBase}); a station with fewer (and no `STATIONS_FILE` entry)
 * is not placed, and its units are imported out of service (`UnitRecord.unplaced`).
 *
 * Why (issue 20): the SF north strip holds a few responses of units whose quarters lie outside it. Station
 * 4, 6 and 34 made one timed response each, and engines 29 and 44 none; each was posted where that one
 * incident was, inside the strip (engine 29 in the Financial District), and a drill of the week sent them
 * 186 times where history sent them 6 times (E29 81 against 2, E44 54 against 1), taking the calls of the
 * strip's own engines (E01: 9 against 145). A guess from one incident is no base to dispatch from; a
 * stations file places them.
 */
export const MIN_BASE_RESPONSES = 5;

/** `unit.out_of_service_by` of a unit imported out of service because the data cannot place its station. */
export const BASE_UNKNOWN = 'import:base-unknown';

/** The `station.id` (and `unit.station_id`) of station number `num`, e.g. `st-39`. */
export const stationIdOf = (num: number): string => `st-${num}`;

/** A unit to store, with its base. */
export interface UnitRecord {
  id: string;
  unitType: string;
  capabilities: string[];
  stationNumber: number | null;
  base: BasePosition;
  /** False for a type that maps to no capability (imported out of service and reported); true when omitted. */
  dispatchable?: boolean;
  /**
   * True for an engine or truck of a station the data cannot place (fewer than {@link MIN_BASE_RESPONSES}
   * timed responses, no stations-file entry): imported out of service and reported, its base a guess.
   */
  unplaced?: boolean;
}

/**
 * Every unit in the data, with capabilities from its `Unit Type` and a base: its station (engines and
 * trucks, `E39` -> station 39, located by {@link estimateBase} over all the station's engine and truck
 * responses when there are {@link MIN_BASE_RESPONSES} timed ones, or by `overrides`; a station the data
 * cannot place leaves its units `unplaced`), else its own estimated post. Units with no timed response get the
 * median position of all their calls.
 * A unit whose type neither the city's `unitTypes` nor the built-in SFFD types know (SFFD's citywide
 * `AIRPORT`, `INVESTIGATION`) gets no capability and `dispatchable: false`: never a throw, never an engine.
 * @param overrides station number -> given location (from a stations file)
 * @param unitTypes the city profile's type -> capabilities mapping
 */
export function deriveUnitsAndStations(
  rows: SfUnitResponse[],
  overrides: Map<number, { lat: number; lon: number; name?: string }>,
  unitTypes: Record<string, Capability[]> = {},
): { units: UnitRecord[]; stations: Map<number, BasePosition & { name: string }> } {
  const byUnit = new Map<string, SfUnitResponse[]>();
  const byStation = new Map<number, SfUnitResponse[]>();
  for (const r of rows) {
    (byUnit.get(r.unitId) ?? byUnit.set(r.unitId, []).get(r.unitId)!).push(r);
    const st = stationNumberOf(r.unitId);
    if (st !== null) (byStation.get(st) ?? byStation.set(st, []).get(st)!).push(r);
  }
  const stations = new Map<number, BasePosition & { name: string }>();
  for (const [num, rs] of byStation) {
    const given = overrides.get(num);
    const base: BasePosition | null = given
      ? { lat: given.lat, lon: given.lon, estimated: false, method: 'stations file', samples: 0 }
      : estimateBase(rs);
    if (base && (given || timedResponses(rs).length >= MIN_BASE_RESPONSES)) stations.set(num, { ...base, name: given?.name ?? `Station ${num}` });
  }
  const units: UnitRecord[] = [];
  for (const [id, rs] of [...byUnit].sort(([a], [b]) => a.localeCompare(b))) {
    const stationNumber = stationNumberOf(id);
    const base =
      (stationNumber !== null ? stations.get(stationNumber) : undefined) ??
      estimateBase(rs) ?? {
        lat: median(rs.map((r) => r.lat)),
        lon: median(rs.map((r) => r.lon)),
        estimated: true,
        method: 'coordinate-wise median of all its calls (no timed response)',
        samples: rs.length,
      };
    const resolved = resolveUnitType(rs[0].unitType, unitTypes);
    units.push({
      id,
      unitType: rs[0].unitType,
      capabilities: resolved.capabilities,
      dispatchable: resolved.dispatchable,
      stationNumber: stationNumber !== null && stations.has(stationNumber) ? stationNumber : null,
      base,
      ...(stationNumber !== null && !stations.has(stationNumber) ? { unplaced: true } : {}),
    });
  }
  return { units, stations };
}

/** Responses with an en-route and an on-scene time, on scene not before en route (what a base is estimated from). */
function timedResponses(responses: SfUnitResponse[]): SfUnitResponse[] {
  return responses.filter((r) => r.response && r.onScene && r.onScene.getTime() >= r.response.getTime());
}

/**
 * Reads a stations file: CSV with header `station,lat,lon[,name]`, WGS84 degrees.
 * @throws Error naming the line of a malformed row
 */
export function readStationsFile(file: string): Map<number, { lat: number; lon: number; name?: string }> {
  const out = new Map<number, { lat: number; lon: number; name?: string }>();
  const recs: Record<string, string>[] = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true });
  recs.forEach((r, i) => {
    const num = Number(r.station);
    const lat = Number(r.lat);
    const lon = Number(r.lon);
    if (!Number.isInteger(num) || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new Error(`${file}:${i + 2}: expected station,lat,lon with a whole station number and WGS84 degrees`);
    }
    out.set(num, { lat, lon, name: r.name || undefined });
  });
  return out;
}
