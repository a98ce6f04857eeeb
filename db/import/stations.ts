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
  const timed = responses
    .filter((r) => r.response && r.onScene && r.onScene.getTime() >= r.response.getTime())
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
}

/**
 * Every unit in the data, with capabilities from its `Unit Type` and a base: its station (engines and
 * trucks, `E39` -> station 39, located by {@link estimateBase} over all the station's engine and truck
 * responses, or by `overrides`), else its own estimated post. Units with no timed response get the
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
    if (base) stations.set(num, { ...base, name: given?.name ?? `Station ${num}` });
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
    });
  }
  return { units, stations };
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
