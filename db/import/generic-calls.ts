import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { haversineMetres } from '@cad/routing';
import { DateTime } from 'luxon';
import * as fs from 'node:fs';
import YAML from 'yaml';
import { ScenarioCall, sortCalls } from './scenario';
import type { RowProblem } from './sf-calls';

/**
 * A time column: its name and luxon format (`ISO` for ISO-8601, `epoch` / `epoch_ms` for Unix seconds
 * / ms), or a list of formats tried in order (sources that changed format over the years).
 */
export interface TimeColumn {
  column: string;
  format: string | string[];
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
  /**
   * What to do with a row without an id: `report` (default: the row is a problem) or `generate`: the id
   * is `gen-` + the first 16 hex digits of the SHA-1 of `type|received (ISO UTC)|lat|lon` (5 decimals),
   * so the same call read twice gets the same id and loads once.
   */
  missingIds?: 'report' | 'generate';
  /** Repeated ids whose rows lie farther apart than this are reported as conflicts, metres (default 100). */
  conflictMetres?: number;
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
  /** Ids given by the `missingIds: generate` rule, one per generated call. */
  generatedIds: number;
  /**
   * Repeated ids whose rows disagree (another type, another time, or places farther apart than
   * `conflictMetres`): the first row still loads, and each disagreeing repeat is listed here.
   */
  conflicts: IdConflict[];
}

/** A repeated external id whose later row disagrees with the row that was loaded. */
export interface IdConflict {
  externalId: string;
  /** Line loaded (first) and line that disagrees, 1-based (header = 1). */
  firstLine: number;
  line: number;
  /** What differs: `type`, `time`, `place`. */
  fields: ('type' | 'time' | 'place')[];
  /** Distance between the two rows' places, metres (haversine). */
  distanceMetres: number;
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
  const formats = c.time?.format;
  need(
    c.time && typeof c.time.column === 'string' && (typeof formats === 'string' || (Array.isArray(formats) && formats.length > 0 && formats.every((f) => typeof f === 'string'))),
    'columns.time.column and columns.time.format (a format or a list of formats)',
  );
  need(m.missingIds === undefined || m.missingIds === 'report' || m.missingIds === 'generate', 'missingIds (report or generate)');
  need(m.conflictMetres === undefined || (typeof m.conflictMetres === 'number' && m.conflictMetres >= 0), 'conflictMetres (metres, 0 or more)');
  need((c.lat && c.lon) || (c.location && c.location.column && c.location.pattern), 'columns.lat + columns.lon, or columns.location');
  if (c.location) new RegExp(c.location.pattern);
  return m;
}

/** `2011-10-24T24:22:00` -> `2011-10-24T00:22:00`: an hour-24 time and the day it must move to the next of. */
const HOUR_24 = /(^|[^\d])24(:[0-5]\d)/;

/**
 * Parses one local time with the mapping's format (or each of its formats in turn) in its zone. An
 * hour-24 time (`2011-10-24T24:22:00+0000`, written by some CAD exports for 00:22 the next day) is
 * read as hour 00 of the next day.
 * @throws RangeError on an empty value or one no format reads
 */
export function parseMappedTime(value: string, t: TimeColumn, zone: string): Date {
  const v = (value ?? '').trim();
  if (!v) throw new RangeError(`empty ${t.column}`);
  const formats = Array.isArray(t.format) ? t.format : [t.format];
  const read = (text: string, f: string): DateTime =>
    f === 'ISO'
      ? DateTime.fromISO(text, { zone })
      : f === 'epoch'
        ? DateTime.fromSeconds(Number(text), { zone })
        : f === 'epoch_ms'
          ? DateTime.fromMillis(Number(text), { zone })
          : DateTime.fromFormat(text, f, { zone });
  for (const f of formats) {
    const dt = read(v, f);
    if (dt.isValid) return dt.toJSDate();
    if (HOUR_24.test(v)) {
      const next = read(v.replace(HOUR_24, '$100$2'), f);
      if (next.isValid) return next.plus({ days: 1 }).toJSDate();
    }
  }
  throw new RangeError(`bad ${t.column} "${v}" (expected ${formats.join(' or ')})`);
}

/** The id the `missingIds: generate` rule gives a row (see {@link ColumnMapping.missingIds}). */
export function generatedCallId(type: string, received: Date, lat: number, lon: number): string {
  const key = `${type}|${received.toISOString()}|${lat.toFixed(5)}|${lon.toFixed(5)}`;
  return `gen-${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Reads a calls-for-service CSV through a column mapping into scenario calls. One call per external
 * id: a repeated id (e.g. one row per responding unit) loads once, the first row wins, the repeats are
 * counted, and a repeat that disagrees with it (type, time, or place beyond `conflictMetres`) is listed
 * in `conflicts`. A row without an id is a problem, or gets a generated id (`missingIds: generate`). A row with a bad or missing time, type, id or coordinates (missing, not numbers, out of
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
  const seen = new Map<string, ScenarioCall>();
  const calls: ScenarioCall[] = [];
  const problems: RowProblem[] = [];
  const conflicts: IdConflict[] = [];
  const conflictMetres = mapping.conflictMetres ?? 100;
  let duplicateRows = 0;
  let generatedIds = 0;
  for (const { record: r, info } of records) {
    // csv-parse counts the line the record ends on; a record spanning lines starts earlier, but rows here are one line.
    const line = info.lines;
    try {
      let id = (r[c.externalId] ?? '').trim();
      if (!id && mapping.missingIds !== 'generate') throw new Error(`missing ${c.externalId}`);
      const type = (r[c.type] ?? '').trim();
      if (!type) throw new Error(`missing ${c.type}`);
      const received = parseMappedTime(r[c.time.column], c.time, mapping.timeZone);
      const [lat, lon] = coordinates(r, mapping, locRe);
      const generated = !id;
      if (generated) id = generatedCallId(type, received, lat, lon);
      const first = seen.get(id);
      if (first) {
        duplicateRows++;
        const distanceMetres = Math.round(haversineMetres(first.lat, first.lon, lat, lon));
        const fields: IdConflict['fields'] = [];
        if (first.type !== type) fields.push('type');
        if (first.received.getTime() !== received.getTime()) fields.push('time');
        if (distanceMetres > conflictMetres) fields.push('place');
        if (fields.length) conflicts.push({ externalId: id, firstLine: first.line, line, fields, distanceMetres });
        continue;
      }
      const p = c.priority;
      let priority: 1 | 2 | 3 = p?.default ?? 2;
      if (p) {
        const code = ((r[p.column] ?? '').trim() || (p.fallback ? (r[p.fallback] ?? '').trim() : '')).toUpperCase();
        const mapped = p.map ? p.map[code] : [1, 2, 3].includes(Number(code)) ? (Number(code) as 1 | 2 | 3) : undefined;
        if (mapped !== undefined) priority = mapped;
      }
      if (generated) generatedIds++;
      const call: ScenarioCall = {
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
      };
      seen.set(id, call);
      calls.push(call);
    } catch (e) {
      problems.push({ line, reason: (e as Error).message });
    }
  }
  return { calls: sortCalls(calls), problems, duplicateRows, rowsRead: records.length, generatedIds, conflicts };
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
