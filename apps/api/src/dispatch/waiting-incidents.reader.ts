import { entitiesFrom, Incident } from '@cad/db';
import type { DataSource } from 'typeorm';

/** How many worlds' incidents are remembered at most (live and the drills running); more, and all are forgotten. */
const MAX_WORLDS = 64;

/** What the last {@link WaitingIncidentsReader.read} did (read by tests and benchmarks). */
export interface WaitingReadStats {
  /** Incidents listed (id and row version). */
  listed: number;
  /** Of those, read whole (new, or changed since the last read). */
  fetched: number;
}

/**
 * The incidents of one world waiting for dispatch, as a dispatch round reads them, round after round.
 * Issue 19's profile of the worker under `bench:load`: in a surge a round read every waiting incident in
 * full (178 rows a round, a tenth of the worker's busy time parsing and hydrating them) although almost
 * none had changed since the round before. Now a round lists ids with their row versions (PostgreSQL's
 * `xmin`: every committed UPDATE of a row writes a new version with its own transaction id) and reads
 * whole only the incidents it has not seen at that version; the others are the entities read before
 * (each round gets its own shallow copies, so nothing a round sets on one leaks into the next).
 *
 * The answer is as of the list, as a single read then would have answered, except for an incident read
 * whole that changed after the list: it is read at its newer version (the whole read repeats the
 * condition, so such an incident that stopped waiting is left out) and remembered at the version listed,
 * so the next round reads it again. A round already works with incidents that may change after its read:
 * it commits each decision under the incident's lock, checked against the revision it read. Remembered
 * are only the incidents the last read listed, per world.
 */
export class WaitingIncidentsReader {
  private readonly worlds = new Map<string, Map<string, { version: string; incident: Incident }>>();
  /** What the last read did. */
  last: WaitingReadStats = { listed: 0, fetched: 0 };

  constructor(private readonly ds: DataSource) {}

  /**
   * The incidents of `world` matching `where`, ordered by id, as whole entities.
   * @param where SQL condition on `incident` whose only parameter is the world as `$1`
   * @throws the database's error as `query` throws it
   */
  async read(world: string, where: string): Promise<Incident[]> {
    const listed: { id: string; v: string }[] = await this.ds.query(`SELECT id, xmin::text AS v FROM incident WHERE ${where} ORDER BY id`, [world]);
    const known = this.worlds.get(world) ?? new Map<string, { version: string; incident: Incident }>();
    const stale = new Set(listed.filter((r) => known.get(r.id)?.version !== r.v).map((r) => r.id));
    const fresh = new Map<string, Incident>();
    if (stale.size) {
      const rows: Record<string, unknown>[] = await this.ds.query(`SELECT * FROM incident WHERE id = ANY($2) AND ${where}`, [world, [...stale]]);
      for (const e of entitiesFrom(this.ds, Incident, rows)) fresh.set(e.id, e);
    }
    const next = new Map<string, { version: string; incident: Incident }>();
    const out: Incident[] = [];
    for (const { id, v } of listed) {
      const incident = stale.has(id) ? fresh.get(id) : known.get(id)?.incident;
      if (!incident) continue;
      next.set(id, { version: v, incident });
      out.push(Object.assign(Object.create(Object.getPrototypeOf(incident)) as Incident, incident));
    }
    if (!this.worlds.has(world) && this.worlds.size >= MAX_WORLDS) this.worlds.clear();
    if (next.size) this.worlds.set(world, next);
    else this.worlds.delete(world);
    this.last = { listed: listed.length, fetched: stale.size };
    return out;
  }
}
