import * as path from 'node:path';
import { callsOfDay, ReplayCall, readSfCalls } from '../import/sf-calls';

/**
 * Calls of one real day from the SFFD north-bbox file, read as the product reads it (from `DATA_DIR`,
 * default `../shared/data/san-francisco`).
 */
export function realCalls(date = '2017-01-01'): ReplayCall[] {
  const dir = process.env.DATA_DIR || '../shared/data/san-francisco';
  const file = process.env.CALLS_FILE || 'sf_fire_calls_2016-12-31_to_2017-01-07_north_bbox.csv';
  const { rows } = readSfCalls(path.resolve(dir, file), process.env.DATA_TIME_ZONE || 'America/Los_Angeles');
  return callsOfDay(rows, date);
}

/** The JSON body `POST /api/calls` takes for a replayed call (the drill's own builder). */
export { replayCallBody as callBody } from '../import/sf-calls';
