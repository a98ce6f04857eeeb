import { nearbyCellKeys } from '@cad/domain';
import { EntityManager } from 'typeorm';
import { Call, readEntities } from '@cad/db';

/** Advisory-lock namespace of the duplicate-call check (first argument of `pg_advisory_xact_lock`). */
export const DUPLICATE_LOCK_NAMESPACE = 1710;

/**
 * Locks a batch of stored calls for their intake, inside the caller's transaction:
 * - the call rows `FOR UPDATE`, in id order (two batches sharing a call cannot deadlock on them);
 * - the duplicate check's advisory locks (`pg_advisory_xact_lock(1710, cell)`) on the ~500 m grid cells
 *   within `radiusMetres` of every call not yet placed, all of them, in ascending key order, before
 *   any call is placed: a batch holds every cell its calls touch, so nearby calls of other batches
 *   wait for its commit exactly as they waited for one call's, and two batches cannot deadlock on them.
 * @param ids call ids (uuid); unknown ids are simply absent from the answer
 * @param radiusMetres the duplicate radius (`DUPLICATE_RADIUS_M`), metres
 * @param pointsOf the points a call's duplicate check searches around (WGS84 degrees): its own point by
 *   default; intake adds the point its typed address places it at when that is elsewhere
 * @returns the calls found, in the order their intake places them: by time received, then call
 *   number, then id (the same order whatever order the jobs arrived in)
 */
export async function lockCallsForIntake(
  m: EntityManager,
  ids: string[],
  radiusMetres: number,
  pointsOf: (call: Call) => readonly { lat: number; lon: number }[] = (c) => [c],
): Promise<Call[]> {
  const calls = await readEntities(m, Call, 'WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids]);
  const keys = new Set<number>();
  for (const c of calls) if (!c.incidentId) for (const p of pointsOf(c)) for (const k of nearbyCellKeys(p.lat, p.lon, radiusMetres)) keys.add(k);
  if (keys.size) {
    // unnest yields the sorted array in order, so the locks are taken in ascending order.
    await m.query('SELECT count(pg_advisory_xact_lock($1, k)) FROM unnest($2::int[]) AS k', [DUPLICATE_LOCK_NAMESPACE, [...keys].sort((a, b) => a - b)]);
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return calls.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || cmp(a.callNumber ?? '', b.callNumber ?? '') || cmp(a.id, b.id));
}

/**
 * Runs `place` on the whole batch (one transaction); when that transaction fails, runs it again on
 * each item alone, so a bad item answers its own error and the others are placed. `place` must be
 * idempotent (a rolled-back batch left nothing behind, and a placed call is answered unchanged).
 * @returns one entry per item, in order: its result or its error
 */
export async function placeEachAloneOnFailure<I, O>(items: I[], place: (items: I[]) => Promise<(O | Error)[]>): Promise<(O | Error)[]> {
  try {
    return await place(items);
  } catch (e) {
    if (items.length === 1) return [e as Error];
  }
  const out: (O | Error)[] = [];
  for (const item of items) out.push(...(await placeEachAloneOnFailure([item], place)));
  return out;
}
