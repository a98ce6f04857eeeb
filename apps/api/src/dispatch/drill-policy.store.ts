import type { DataSource } from 'typeorm';
import { DrillRunRow } from '@cad/db';

/** Policies read so far, by drill id: a drill's policy is written once, when its run starts, and never changes. */
const known = new Map<string, string | null>();

/**
 * The allocation policy a drill runs under (`nearest` or `optimised`), as recorded in `drill_run` when
 * the run started (before its world and its first call exist, so any incident of the drill finds it),
 * whichever process started it. Read once per drill and process, then remembered.
 * @param drillId the incident's `drill_id`; null for live work
 * @returns the policy, or null for live work and for a drill never recorded
 */
export async function recordedDrillPolicy(ds: DataSource, drillId: string | null): Promise<string | null> {
  if (!drillId) return null;
  if (known.has(drillId)) return known.get(drillId)!;
  const row = await ds.getRepository(DrillRunRow).findOne({ where: { id: drillId }, select: { id: true, policy: true } });
  if (row) known.set(drillId, row.policy);
  return row?.policy ?? null;
}

/**
 * Whether incidents under a drill policy are solved jointly by dispatch rounds (`optimised`, and
 * `moveups`, which adds move-ups to it) rather than per incident nearest-first (`nearest`, and a
 * drill whose policy is unknown).
 */
export function solvesJointly(policy: string | null): boolean {
  return policy === 'optimised' || policy === 'moveups';
}
