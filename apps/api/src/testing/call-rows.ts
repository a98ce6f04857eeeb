import { realCalls } from '@cad/db/testing';
import type { CallRow } from '../intake/call-batch-writer';

/** A row for `CallBatchWriter.write`: the `i`-th real SFFD call's type and place (wrapping round), priority 2, received now. */
export function callRowAt(i: number, callNumber: string | null): CallRow {
  const calls = realCalls();
  const c = calls[i % calls.length];
  return {
    callNumber,
    type: c.type,
    priority: 2,
    lat: c.lat,
    lon: c.lon,
    address: null,
    notes: null,
    source: 'api',
    receivedAt: new Date(),
    exercise: false,
    drillId: null,
    accuracyM: null,
    roadway: null,
    headingDegrees: null,
  };
}
