import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import * as fs from 'node:fs';
import YAML from 'yaml';
import { ScenarioCall, sortCalls } from './scenario';
import type { RowProblem } from './sf-calls';

/** A time column: its name and luxon format (`ISO` for ISO-8601, `epoch` / `epoch_ms` for Unix seconds / ms). */
export interface TimeColumn {
  column: string;
  format: string;
}

/**
 * How to read another city's calls CSV without code. Column names are the CSV header's. Coordinates
 * come from `lat` + `lon` columns, or from one `location` column matched by a regular expression with
 * named groups `lat` and `lon` (e.g. SFFD's `"(37.8, -122.4)"`).
 */
export interface ColumnMapping {
  /** A name for the source, shown in reports. */
  name?: string;
  /** IANA zone in which the CSV's local times are given (luxon), e.g. `America/Los_Angeles`. */
  timeZone: string;
  columns: {
    externalId: string;
    type: string;
    time: TimeColumn;
    address?: string;
    lat?: string;
    lon?: string;
    location?: { column: string; pattern: string };
    /** Optional priority: `column` (first non-empty of `column`, `fallback`), mapped by `map` to 1..3, else `default` (2). */
    priority?: { column: string; fallback?: string; map?: Record<string, 1 | 2 | 3>; default?: 1 | 2 | 3 };
  };
  /** Accepted area, WGS84 degrees; a point outside is a malformed row. Defaults to the whole globe. */
  bounds?: { minLat: number; maxLat: number; minLon: number; maxLon: number };
  /** CSV delimiter, `,` by default. */
  delimiter?: string;
}

/** What the generic importer read: calls once per external id, and every row it could not read. */
export interface MappedImport {
  calls: ScenarioCall[];
  problems: RowProblem[];
  /** Rows whose external id had already been read (loaded once). */
  duplicateRows: number;
  rowsRead: number;
}

/**
 * Reads a column-mapping file (`.json`, `.yaml` or `.yml`).
 * @throws Error naming the file and the missing or bad key
 */
export function readColumnMapping(file: string): ColumnMapping {
  const text = fs.readFileSync(file, 'utf8');
  const raw: unknown = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  return checkMapping(raw, file);
}

function checkMapping(raw: unknown, where: string): ColumnMapping {
  const m = raw as ColumnMapping;
  const need = (ok: unknown, key: string) => {
    if (!ok) throw new Error(`column mapping ${where}: ${key} is required`);
  };
  need(m && typeof m === 'object', 'an object');
  need(typeof m.timeZone === 'string', 'timeZone');
  need(DateTime.local().setZone(m.timeZone).isValid, `timeZone (valid IANA zone, got "${m.timeZone}")`);
  need(m.columns && typeof m.columns === 'object', 'columns');
  const c = m.columns;
  need(typeof c.externalId === 'string', 'columns.externalId');
  need(typeof c.type === 'string', 'columns.type');
  need(c.time && typeof c.time.column === 'string' && typeof c.time.format === 'string', 'columns.time.column and columns.time.format');
  need((c.lat && c.lon) || (c.location && c.location.column && c.location.pattern), 'columns.lat + columns.lon, or columns.location');
  if (c.location) new RegExp(c.location.pattern);
  return m;
}

/**
 * Parses one local time with the mapping's format in its zone.
 * @throws RangeError on an empty or malformed value
 */
export function parseMappedTime(value: string, t: TimeColumn, zone: string): Date {
  const v = (value ?? '').trim();
  if (!v) throw new RangeError(`empty ${t.column}`);
  let dt: DateTime;
  if (t.format === 'ISO') dt = DateTime.fromISO(v, { zone });
  else if (t.format === 'epoch') dt = DateTime.fromSeconds(Number(v), { zone });
  else if (t.format === 'epoch_ms') dt = DateTime.fromMillis(Number(v), { zone });
  else dt = DateTime.fromFormat(v, t.format, { zone });
  if (!dt.isValid) throw new RangeError(`bad ${t.column} "${v}" (expected ${t.format})`);
  return dt.toJSDate();
}

/**
 * Reads a calls-for-service CSV through a column mapping into scenario calls. One call per external
 * id: a repeated id (e.g. one row per responding unit) loads once, the first row wins, and the repeats
 * are counted. A row with a bad or missing time, type, id or coordinates (missing, not numbers, out of
 * WGS84 range or outside `bounds`) is reported in `problems` with its 1-based line number (header =
 * line 1) and loads nothing: no row is half-loaded or silently dropped.
 * @param file CSV path
 * @param mapping the mapping (see `readColumnMapping`)
 */
export function readMappedCalls(file: string, mapping: ColumnMapping): MappedImport {
  checkMapping(mapping, 'given');
  const c = mapping.columns;
  const records: { record: Record<string, string>; info: { lines: number } }[] = parse(fs.readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    delimiter: mapping.delimiter ?? ',',
    bom: true,
    info: true,
  });
  const locRe = c.location ? new RegExp(c.location.pattern) : null;
  const seen = new Set<string>();
  const calls: ScenarioCall[] = [];
  const problems: RowProblem[] = [];
  let duplicateRows = 0;
  for (const { record: r, info } of records) {
    // csv-parse counts the line the record ends on; a record spanning lines starts earlier, but rows here are one line.
    const line = info.lines;
    try {
      const id = (r[c.externalId] ?? '').trim();
      if (!id) throw new Error(`missing ${c.externalId}`);
      if (seen.has(id)) {
        duplicateRows++;
        continue;
      }
      const type = (r[c.type] ?? '').trim();
      if (!type) throw new Error(`missing ${c.type}`);
      const received = parseMappedTime(r[c.time.column], c.time, mapping.timeZone);
      const [lat, lon] = coordinates(r, mapping, locRe);
      const p = c.priority;
      let priority: 1 | 2 | 3 = p?.default ?? 2;
      if (p) {
        const code = ((r[p.column] ?? '').trim() || (p.fallback ? (r[p.fallback] ?? '').trim() : '')).toUpperCase();
        const mapped = p.map ? p.map[code] : [1, 2, 3].includes(Number(code)) ? (Number(code) as 1 | 2 | 3) : undefined;
        if (mapped !== undefined) priority = mapped;
      }
      seen.add(id);
      calls.push({
        externalId: id,
        type,
        priority,
        lat,
        lon,
        address: c.address ? (r[c.address] ?? '').trim() || null : null,
        received,
        localDate: DateTime.fromJSDate(received, { zone: mapping.timeZone }).toISODate() ?? '',
        line,
        units: [],
      });
    } catch (e) {
      problems.push({ line, reason: (e as Error).message });
    }
  }
  return { calls: sortCalls(calls), problems, duplicateRows, rowsRead: records.length };
}

function coordinates(r: Record<string, string>, mapping: ColumnMapping, locRe: RegExp | null): [number, number] {
  const c = mapping.columns;
  let latS: string | undefined;
  let lonS: string | undefined;
  if (c.lat && c.lon) {
    latS = r[c.lat]?.trim();
    lonS = r[c.lon]?.trim();
  } else {
    const m = locRe!.exec(r[c.location!.column] ?? '');
    latS = m?.groups?.lat;
    lonS = m?.groups?.lon;
  }
  if (!latS || !lonS) throw new Error('missing coordinates');
  const lat = Number(latS);
  const lon = Number(lonS);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error(`coordinates are not numbers ("${latS}", "${lonS}")`);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw new Error(`coordinates out of range (lat ${lat}, lon ${lon})`);
  const b = mapping.bounds;
  if (b && (lat < b.minLat || lat > b.maxLat || lon < b.minLon || lon > b.maxLon)) {
    throw new Error(`coordinates (lat ${lat}, lon ${lon}) outside the mapping's bounds`);
  }
  return [lat, lon];
}
