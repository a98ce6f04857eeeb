import * as path from 'node:path';
import { callsOfDay, ReplayCall, readSfCalls, replayCallBody } from '../import/sf-calls';

/** The real data folder (`DATA_DIR`, default `../shared/data/san-francisco`) and its SFFD calls file. */
export const SF_DATA_DIR = path.resolve(process.env.DATA_DIR || '../shared/data/san-francisco');
export const SF_CALLS_FILE = path.resolve(SF_DATA_DIR, process.env.CALLS_FILE || 'sf_fire_calls_2016-12-31_to_2017-01-07_north_bbox.csv');

/**
 * Calls of one real day from the SFFD north-bbox file, read as the product reads it (from `DATA_DIR`,
 * default `../shared/data/san-francisco`).
 */
export function realCalls(date = '2017-01-01'): ReplayCall[] {
  const { rows } = readSfCalls(SF_CALLS_FILE, process.env.DATA_TIME_ZONE || 'America/Los_Angeles');
  return callsOfDay(rows, date);
}

/**
 * The JSON body `POST /api/calls` takes for a real call posted live now: the drill's own builder,
 * without the historical `receivedAt` (a live call from 2017 is refused). Pass `{ receivedAt }` or
 * `{ exercise: true }` overrides to replay it as history.
 */
export function callBody(c: ReplayCall, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { receivedAt: _historical, ...body } = replayCallBody(c);
  return { ...body, ...overrides };
}
