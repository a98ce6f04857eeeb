import { median, priorityFromSf } from '@cad/domain';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import * as fs from 'node:fs';

/** One row of the SFFD "Fire Department Calls for Service" CSV (DataSF `nuek-vuh3`): one unit's response to one call. */
export interface SfUnitResponse {
  /** 1-based line number in the file (header is line 1). */
  line: number;
  callNumber: string;
  unitId: string;
  incidentNumber: string;
  callType: string;
  unitType: string;
  /** Raw SFFD priority code (`Priority` column, falling back to `Original Priority`). */
  priorityCode: string;
  address: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  /** Instants (UTC) parsed from the data's local times; null when the column is empty. */
  received: Date;
  dispatch: Date | null;
  /** `Response DtTm`: the unit reported en route. */
  response: Date | null;
  onScene: Date | null;
  available: Date | null;
  /** Local calendar date of `Received DtTm`, `YYYY-MM-DD`. */
  localDate: string;
}

/** A CSV line that could not be read, with the reason. */
export interface RowProblem {
  line: number;
  reason: string;
}

const SF_TIME = 'MM/dd/yyyy hh:mm:ss a';

/**
 * Parses an SFFD timestamp such as `12/31/2016 11:52:01 PM`, given in the data set's local zone.
 * @param zone IANA zone of the data (`America/Los_Angeles` for San Francisco)
 * @returns the instant, or null for an empty string
 * @throws RangeError on a malformed timestamp
 */
export function parseSfTime(value: string, zone: string): Date | null {
  if (!value) return null;
  const dt = DateTime.fromFormat(value.trim(), SF_TIME, { zone });
  if (!dt.isValid) throw new RangeError(`bad timestamp "${value}"`);
  return dt.toJSDate();
}

/**
 * Reads the SFFD calls-for-service CSV as published (34 columns, `Location` as `"(lat, lon)"`).
 * Rows that cannot be read are returned in `problems` with their line numbers, never silently dropped.
 * @param file path of the CSV file
 * @param zone IANA zone of its local times
 */
export function readSfCalls(file: string, zone: string): { rows: SfUnitResponse[]; problems: RowProblem[] } {
  const records: Record<string, string>[] = parse(fs.readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: false,
  });
  const rows: SfUnitResponse[] = [];
  const problems: RowProblem[] = [];
  records.forEach((r, i) => {
    const line = i + 2;
    try {
      const m = /^\(\s*(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\s*\)$/.exec(r['Location'] ?? '');
      if (!m) throw new Error('missing or malformed Location');
      const received = parseSfTime(r['Received DtTm'], zone);
      if (!received) throw new Error('missing Received DtTm');
      rows.push({
        line,
        callNumber: r['Call Number'],
        unitId: r['Unit ID'],
        incidentNumber: r['Incident Number'],
        callType: r['Call Type'],
        unitType: r['Unit Type'],
        priorityCode: r['Priority'] || r['Original Priority'],
        address: r['Address'],
        lat: Number(m[1]),
        lon: Number(m[2]),
        received,
        dispatch: parseSfTime(r['Dispatch DtTm'], zone),
        response: parseSfTime(r['Response DtTm'], zone),
        onScene: parseSfTime(r['On Scene DtTm'], zone),
        available: parseSfTime(r['Available DtTm'], zone),
        localDate: DateTime.fromJSDate(received, { zone }).toISODate() ?? '',
      });
    } catch (e) {
      problems.push({ line, reason: (e as Error).message });
    }
  });
  return { rows, problems };
}

/** One historical call to replay, with how its crews actually performed. */
export interface ReplayCall {
  callNumber: string;
  type: string;
  priority: 1 | 2 | 3;
  lat: number;
  lon: number;
  address: string;
  received: Date;
  /** Median historical turnout (Response minus Dispatch) of its units, seconds. */
  turnoutSeconds: number;
  /** Median historical time on scene (Available minus On Scene) of its units, seconds. */
  onSceneSeconds: number;
}

/** Used when a call has no timed unit: NFPA 1710 EMS turnout (60 s) and a typical 15 min on scene. */
export const DEFAULT_TURNOUT_S = 60;
export const DEFAULT_ON_SCENE_S = 900;

/**
 * Groups unit responses into the calls of one local day, in order of receipt.
 * @param date local date `YYYY-MM-DD` in the data's zone
 */
export function callsOfDay(rows: SfUnitResponse[], date: string): ReplayCall[] {
  const byCall = new Map<string, SfUnitResponse[]>();
  for (const r of rows) if (r.localDate === date) (byCall.get(r.callNumber) ?? byCall.set(r.callNumber, []).get(r.callNumber)!).push(r);
  const secs = (a: Date | null, b: Date | null) => (a && b && b >= a ? (b.getTime() - a.getTime()) / 1000 : null);
  const calls = [...byCall.values()].map((rs): ReplayCall => {
    const first = rs[0];
    const turnout = rs.map((r) => secs(r.dispatch, r.response)).filter((x): x is number => x !== null);
    const scene = rs.map((r) => secs(r.onScene, r.available)).filter((x): x is number => x !== null);
    return {
      callNumber: first.callNumber,
      type: first.callType,
      priority: priorityFromSf(first.priorityCode),
      lat: first.lat,
      lon: first.lon,
      address: first.address,
      received: first.received,
      turnoutSeconds: turnout.length ? median(turnout) : DEFAULT_TURNOUT_S,
      onSceneSeconds: scene.length ? median(scene) : DEFAULT_ON_SCENE_S,
    };
  });
  return calls.sort((a, b) => a.received.getTime() - b.received.getTime() || a.callNumber.localeCompare(b.callNumber));
}


/**
 * The `POST /api/calls` body for a replayed historical call (WGS84 degrees, ISO-8601 UTC time).
 * @param overrides fields to add or replace, e.g. a drill's `callNumber`, `exercise` and `drillId`
 */
export function replayCallBody(c: ReplayCall, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callNumber: String(c.callNumber),
    type: c.type,
    priority: c.priority,
    lat: c.lat,
    lon: c.lon,
    address: c.address,
    receivedAt: c.received.toISOString(),
    ...overrides,
  };
}
