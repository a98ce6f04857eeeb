import type { DataSource } from 'typeorm';

/**
 * The drill's event log, normalised for comparison between runs: simulated time, type, scenario
 * call id, unit, and the assignment or incident status (ids and wall times left out), sorted;
 * one `at|type|callId|unitId|status` line per event of drill run `id`.
 */
export async function drillEventLog(ds: DataSource, id: string): Promise<string[]> {
  const rows: { type: string; at: Date; unit_id: string | null; call_number: string | null; st: string | null; istatus: string | null }[] =
    await ds.query(
      `SELECT e.type, e.at, e.unit_id,
              (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = e.incident_id) AS call_number,
              e.payload->'assignment'->>'status' AS st, e.payload->>'status' AS istatus
         FROM incident_event e JOIN incident i ON i.id = e.incident_id
        WHERE i.drill_id = $1 ORDER BY e.seq, e.id`,
      [id],
    );
  const prefix = `${id}:`;
  // Sorted: only simulated time and content count, never the order in which rows were written.
  return rows.map((r) =>
    [r.at.toISOString(), r.type, r.call_number?.startsWith(prefix) ? r.call_number.slice(prefix.length) : r.call_number, r.unit_id ?? '', r.st ?? r.istatus ?? ''].join(
      '|',
    ),
  ).sort();
}

/**
 * Wall milliseconds from each drill call being accepted (its `call` row committed) to the first
 * dispatch decision on its incident (the dispatch transaction), from the database's own clock.
 */
export async function acceptToDispatchMs(ds: DataSource, id: string): Promise<number[]> {
  const rows: { ms: number }[] = await ds.query(
    `SELECT EXTRACT(EPOCH FROM (MIN(e.recorded_at) - c.created_at)) * 1000 AS ms
       FROM call c JOIN incident_event e ON e.incident_id = c.incident_id AND e.actor = 'dispatch'
      WHERE c.drill_id = $1 GROUP BY c.id`,
    [id],
  );
  return rows.map((r) => Number(r.ms));
}
