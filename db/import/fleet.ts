import { Agency, Capability, isAgency, isCapability, median, resolveUnitType } from '@cad/domain';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import type { RowProblem } from './sf-calls';
import type { BasePosition, UnitRecord } from './stations';

/** The fleet file's columns, in this order in the header (`capabilities` and `station` may be empty). */
export const FLEET_COLUMNS = ['unit_id', 'type', 'agency', 'capabilities', 'station', 'lat', 'lon'] as const;

/** One fleet unit as imported: a {@link UnitRecord} with its agency and whether it may be dispatched. */
export interface FleetUnit extends UnitRecord {
  agency: Agency;
  /** False for a type the profile does not map: imported out of service, never dispatched, reported. */
  dispatchable: boolean;
}

/** What a fleet file gave: units, stations (numbered) and every row it reported. */
export interface FleetRead {
  units: FleetUnit[];
  stations: Map<number, BasePosition & { name: string }>;
  /** Rows not imported (bad id, agency, capability or coordinates, repeated unit id), by 1-based line (header = 1). */
  problems: RowProblem[];
  /** Units imported as not dispatchable because their type maps to nothing, by line. */
  unmappedTypes: (RowProblem & { unitId: string; unitType: string })[];
}

/**
 * Reads a fleet file: CSV with header `unit_id,type,agency,capabilities,station,lat,lon`. `agency` is
 * one of `fire`, `ems`, `police`, `water_utility`, `gas_utility`; `capabilities` is a `;`-separated
 * list (empty: from the type, through the profile's `unitTypes` then the built-in SFFD types);
 * `station` a whole station number or empty; `lat`/`lon` the unit's base, WGS84 degrees. A station is
 * placed at the median of its units' bases unless `stationOverrides` gives it.
 * A row with a missing id, an unknown agency or capability, bad coordinates or a repeated unit id is
 * reported in `problems` and skipped; a row whose type maps to nothing imports as not dispatchable
 * and is reported in `unmappedTypes` (never a throw, never an engine).
 * @param unitTypes the profile's type -> capabilities mapping
 * @throws Error naming the file when its header lacks a column
 */
export function readFleetFile(
  file: string,
  unitTypes: Record<string, Capability[]>,
  stationOverrides: Map<number, { lat: number; lon: number; name?: string }> = new Map(),
): FleetRead {
  const records: { record: Record<string, string>; info: { lines: number } }[] = parse(fs.readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
    relax_column_count: true,
  });
  const header = records.length ? Object.keys(records[0].record) : [];
  for (const c of FLEET_COLUMNS) if (records.length && !header.includes(c)) throw new Error(`${file}: the header has no "${c}" column (expected ${FLEET_COLUMNS.join(',')})`);
  const units: FleetUnit[] = [];
  const problems: RowProblem[] = [];
  const unmappedTypes: FleetRead['unmappedTypes'] = [];
  const seen = new Set<string>();
  const byStation = new Map<number, { lat: number; lon: number }[]>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    try {
      const id = (r.unit_id ?? '').trim();
      if (!id || id.length > 40) throw new Error('unit_id must be 1-40 characters');
      if (seen.has(id)) throw new Error(`unit ${id} is listed twice`);
      const agency = (r.agency ?? '').trim().toLowerCase();
      if (!isAgency(agency)) throw new Error(`unknown agency "${r.agency ?? ''}"`);
      const type = (r.type ?? '').trim();
      if (!type) throw new Error('missing type');
      const lat = Number(r.lat);
      const lon = Number(r.lon);
      if (!(r.lat ?? '').trim() || !(r.lon ?? '').trim() || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
        throw new Error(`lat/lon must be WGS84 degrees (got "${r.lat ?? ''}", "${r.lon ?? ''}")`);
      }
      const stationS = (r.station ?? '').trim();
      const station = stationS ? Number(stationS) : null;
      if (station !== null && !Number.isInteger(station)) throw new Error(`station must be a whole number (got "${stationS}")`);
      const listed = (r.capabilities ?? '').split(';').map((c) => c.trim()).filter(Boolean);
      for (const c of listed) if (!isCapability(c)) throw new Error(`unknown capability "${c}"`);
      const resolved = listed.length ? { capabilities: listed as Capability[], dispatchable: true } : resolveUnitType(type, unitTypes);
      if (!resolved.dispatchable) unmappedTypes.push({ line, unitId: id, unitType: type.toUpperCase(), reason: `type "${type}" maps to no capability: imported out of service` });
      seen.add(id);
      if (station !== null) (byStation.get(station) ?? byStation.set(station, []).get(station)!).push({ lat, lon });
      units.push({
        id,
        unitType: type.toUpperCase(),
        capabilities: resolved.capabilities,
        agency,
        dispatchable: resolved.dispatchable,
        stationNumber: station,
        base: { lat, lon, estimated: false, method: 'fleet file', samples: 0 },
      });
    } catch (e) {
      problems.push({ line, reason: (e as Error).message });
    }
  }
  const stations = new Map<number, BasePosition & { name: string }>();
  for (const [num, bases] of byStation) {
    const given = stationOverrides.get(num);
    stations.set(
      num,
      given
        ? { lat: given.lat, lon: given.lon, estimated: false, method: 'stations file', samples: 0, name: given.name ?? `Station ${num}` }
        : {
            lat: median(bases.map((b) => b.lat)),
            lon: median(bases.map((b) => b.lon)),
            estimated: true,
            method: 'coordinate-wise median of its units\u2019 bases in the fleet file',
            samples: bases.length,
            name: `Station ${num}`,
          },
    );
  }
  return { units, stations, problems, unmappedTypes };
}
