import type { LineString, Polygon } from 'geojson';
import { priorityFromSf } from '@cad/domain';
import { DateTime } from 'luxon';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { readColumnMapping, readMappedCalls } from './generic-calls';
import { RoadClosure, Scenario, ScenarioCall, sortCalls, UnitStart } from './scenario';
import { readSfCalls } from './sf-calls';

/**
 * Builds a scenario from the SFFD calls-for-service CSV as published: one call per `Call Number`
 * (its first row gives type, priority, place and time), with every unit row's historical dispatch,
 * en-route, on-scene and available times. Unreadable rows are kept in `problems` with line numbers.
 * @param zone IANA zone of the CSV's local times
 */
export function sfScenario(file: string, zone: string, name = 'sf'): Scenario {
  const { rows, problems } = readSfCalls(file, zone);
  const byCall = new Map<string, ScenarioCall>();
  let duplicateRows = 0;
  for (const r of rows) {
    let c = byCall.get(r.callNumber);
    if (c) duplicateRows++;
    else {
      c = {
        externalId: r.callNumber,
        type: r.callType,
        priority: priorityFromSf(r.priorityCode),
        lat: r.lat,
        lon: r.lon,
        address: r.address || null,
        received: r.received,
        localDate: r.localDate,
        line: r.line,
        units: [],
      };
      byCall.set(r.callNumber, c);
    }
    c.units.push({ unitId: r.unitId, unitType: r.unitType, dispatch: r.dispatch, enRoute: r.response, onScene: r.onScene, available: r.available });
  }
  return {
    name,
    timeZone: zone,
    calls: sortCalls([...byCall.values()]),
    units: [],
    closures: [],
    problems,
    duplicateRows,
    rowsRead: rows.length + problems.length,
  };
}

/**
 * A scenario file (`db/scenarios/<name>.yaml` or `.json`):
 * ```yaml
 * name: sf-north
 * calls: { format: sf, file: sf_fire_calls_..._north_bbox.csv }        # or format: mapped, mapping: <file>
 * units: [{ unitId: E38, lat: 37.80, lon: -122.43 }]                    # optional starting positions
 * closures: [{ at: 2017-01-01T10:00:00-08:00, until: null, lat: 37.80, lon: -122.41, radiusMetres: 30, note: parade }]  # or geometry: <GeoJSON LineString|Polygon>
 * ```
 * `file` is resolved against the data folder, `mapping` against the scenario file's folder.
 */
export interface ScenarioFile {
  name: string;
  calls: { format: 'sf' | 'mapped'; file: string; mapping?: string; timeZone?: string };
  units?: UnitStart[];
  closures?: { at: string; until?: string | null; lat: number; lon: number; radiusMetres?: number; geometry?: LineString | Polygon; note?: string }[];
}

/** Folder of the scenario files shipped with the project (resolved from the working directory, the repo root). */
export const SCENARIOS_DIR = path.resolve('db/scenarios');

/**
 * Loads a scenario by name (`db/scenarios/<name>.yaml|.yml|.json`) or by path.
 * @param dataDir folder of the data files
 * @param zone default IANA zone for SF-format calls
 * @throws Error when the scenario file, its calls file or its mapping is missing or malformed
 */
export function loadScenario(nameOrPath: string, dataDir: string, zone: string): Scenario {
  const candidates = /[/\\]/.test(nameOrPath) || /\.(ya?ml|json)$/.test(nameOrPath)
    ? [path.resolve(nameOrPath)]
    : ['.yaml', '.yml', '.json'].map((x) => path.join(SCENARIOS_DIR, nameOrPath + x));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) throw new Error(`scenario "${nameOrPath}" not found (looked for ${candidates.join(', ')})`);
  const text = fs.readFileSync(file, 'utf8');
  const spec = (/\.json$/.test(file) ? JSON.parse(text) : YAML.parse(text)) as ScenarioFile;
  if (!spec?.calls?.file || !['sf', 'mapped'].includes(spec.calls.format)) {
    throw new Error(`scenario ${file}: calls.format (sf|mapped) and calls.file are required`);
  }
  const callsFile = path.resolve(dataDir, spec.calls.file);
  if (!fs.existsSync(callsFile)) throw new Error(`scenario ${file}: calls file not found: ${callsFile}`);
  let s: Scenario;
  if (spec.calls.format === 'sf') s = sfScenario(callsFile, spec.calls.timeZone ?? zone, spec.name);
  else {
    if (!spec.calls.mapping) throw new Error(`scenario ${file}: calls.mapping is required for format mapped`);
    const mapping = readColumnMapping(path.resolve(path.dirname(file), spec.calls.mapping));
    const r = readMappedCalls(callsFile, mapping);
    s = { name: spec.name, timeZone: mapping.timeZone, units: [], closures: [], ...r };
  }
  s.units = (spec.units ?? []).map((u) => ({ unitId: String(u.unitId), lat: Number(u.lat), lon: Number(u.lon) }));
  s.closures = (spec.closures ?? []).map((c, i): RoadClosure => {
    const at = DateTime.fromISO(String(c.at), { zone: s.timeZone });
    const until = c.until ? DateTime.fromISO(String(c.until), { zone: s.timeZone }) : null;
    if (!at.isValid || (until && !until.isValid)) throw new Error(`scenario ${file}: closures[${i}] has a bad at/until time`);
    if (c.geometry && !['LineString', 'Polygon'].includes(c.geometry.type)) throw new Error(`scenario ${file}: closures[${i}].geometry must be a GeoJSON LineString or Polygon`);
    const lat = Number(c.lat);
    const lon = Number(c.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error(`scenario ${file}: closures[${i}] needs lat and lon`);
    const radiusMetres = c.radiusMetres === undefined ? undefined : Number(c.radiusMetres);
    if (radiusMetres !== undefined && !(radiusMetres > 0 && radiusMetres <= 2000)) throw new Error(`scenario ${file}: closures[${i}].radiusMetres must be in (0, 2000]`);
    return { at: at.toJSDate(), until: until ? until.toJSDate() : null, lat, lon, radiusMetres, geometry: c.geometry, note: c.note };
  });
  return s;
}
