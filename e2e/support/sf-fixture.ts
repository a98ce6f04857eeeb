import * as path from 'node:path';
import { readSfCalls } from '../../db/import/sf-calls';
import { callsOfDay, ReplayCall } from '../../apps/api/src/drill/drill.service';
import { loadConfig } from '../../apps/api/src/config/config';

/** Calls of one real day from the SFFD north-bbox file, read as the product reads it. */
export function realCalls(date = '2017-01-01'): ReplayCall[] {
  const config = loadConfig({ ...process.env, DRILL_DATE: '' });
  const { rows } = readSfCalls(path.resolve(config.dataFile(config.CALLS_FILE)), config.DATA_TIME_ZONE);
  return callsOfDay(rows, date);
}

/** The JSON body `POST /api/calls` takes for a replayed call. */
export function callBody(c: ReplayCall, extra: Record<string, unknown> = {}) {
  return {
    callNumber: String(c.callNumber),
    type: c.type,
    priority: c.priority,
    lat: c.lat,
    lon: c.lon,
    address: c.address,
    receivedAt: c.received.toISOString(),
    ...extra,
  };
}
