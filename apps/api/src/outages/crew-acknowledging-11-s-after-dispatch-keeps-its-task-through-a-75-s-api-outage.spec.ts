import { cloneTestDatabase } from '@cad/db/testing';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/** The tester's outage, seconds. */
const OUTAGE_S = 75;
/** When the crew acknowledged on its phone, seconds after the dispatch. */
const ACK_AFTER_S = 11;

/**
 * The issue's own scenario at its own scale, with the shipped settings (acknowledgement limit 60 s,
 * heartbeat 5 s, outage gap 15 s, grace 30 s): the whole system is killed just after a dispatch and
 * stays down 75 s, while the crew's acknowledgement, tapped 11 s after the dispatch, waits on its
 * phone. The acknowledgement deadline (dispatch + 60 s) falls inside the outage.
 *
 * The code has no clock to set: heartbeats, outages and deadlines are judged by PostgreSQL's `now()`
 * and BullMQ's delays by `Date.now()`. So the 75 s are not waited: while everything is down, every
 * instant in the record (each `timestamptz` column of every table: heartbeats, dispatch times,
 * deadlines, events; append-only tables too, with the session's triggers off) is moved 75 s into the
 * past, which is what 75 s of silence leaves behind. The
 * restarted API then finds its last heartbeat 75 s old, and the reconciler finds the deadline 15 s
 * overdue, exactly as after a real 75 s outage. (The delayed job of the deadline, in Redis, keeps its
 * real time; the reconciler's sweep is the path that fires an overdue deadline after an outage.)
 */
describe('a 75 s API outage while a crew that acknowledged 11 s after dispatch waits on its phone', () => {
  const env = { SILENT_UNIT_LIMIT: '50', REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:outage-75:${process.pid}` };
  let databaseUrl: string;
  let t: TestApp;
  beforeAll(async () => {
    databaseUrl = await cloneTestDatabase('outage-75');
    t = await startTestApp('outage-75', env, { databaseUrl });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Runs `fn` on a connection of its own to the record (the app being down). */
  async function onRecord<T>(fn: (db: import('pg').Client) => Promise<T>): Promise<T> {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return await fn(db);
    } finally {
      await db.end();
    }
  }

  /** Moves every instant of the record `seconds` into the past (what that long a silence leaves behind). */
  function recordAged(seconds: number): Promise<void> {
    return onRecord(async (db) => {
      const cols: { table_name: string; column_name: string }[] = (
        await db.query(`SELECT table_name, column_name FROM information_schema.columns c JOIN information_schema.tables USING (table_schema, table_name)
                         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND data_type = 'timestamp with time zone' ORDER BY table_name`)
      ).rows;
      const byTable = new Map<string, string[]>();
      for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
      // The append-only tables refuse UPDATE by trigger: this session moves time, not history, so triggers are off for it.
      await db.query(`SET session_replication_role = replica`);
      for (const [table, columns] of byTable) {
        await db.query(`UPDATE "${table}" SET ${columns.map((c) => `"${c}" = "${c}" - make_interval(secs => ${seconds})`).join(', ')}`);
      }
    });
  }

  it('keeps the task with the crew after the restart: no unit out of service, no replacement, the outage recorded as 75 s; a silent crew loses its task 30 s after the restart', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 })).body.id);
    // Its hostile twin: a crew dispatched at the same moment whose phone never acknowledged.
    const silent = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.78, lon: -122.415 })).body.id);
    const tasks: { id: string; unitId: string }[] = incident.assignments;
    expect(tasks.length).toBeGreaterThan(0);
    const dispatchedAt = new Map<string, number>(tasks.map((a) => [a.id, 0]));

    await t.close(); // killed: no heartbeat, no worker, no API
    const killedAt = Date.now();
    await recordAged(OUTAGE_S);
    const rows = await onRecord(async (db) => (await db.query<{ id: string; dispatched_at: Date }>(`SELECT id, dispatched_at FROM assignment WHERE incident_id = $1`, [incident.id])).rows);
    for (const r of rows) dispatchedAt.set(r.id, r.dispatched_at.getTime());
    t = await startTestApp('outage-75', env, { databaseUrl });

    // The restarted API sees the 75 s silence: one outage, ended, about 75 s long.
    const outages = (await t.request('GET', '/api/outages')).body;
    expect(outages).toHaveLength(1);
    expect(outages[0].endedAt).not.toBeNull();
    expect(outages[0].seconds).toBeGreaterThanOrEqual(OUTAGE_S);
    expect(outages[0].seconds).toBeLessThan(OUTAGE_S + (Date.now() - killedAt) / 1000 + 10);

    // The deadline (dispatch + 60 s) is overdue; the reconciler (every 5 s) has swept it and held it.
    const [{ due }]: { due: Date }[] = await t.ds.query(`SELECT min(due_at) AS due FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [incident.id]);
    expect(due.getTime()).toBeLessThan(Date.now() - 10_000);
    await new Promise((r) => setTimeout(r, 7000));
    const held: { state: string }[] = await t.ds.query(`SELECT state FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [incident.id]);
    expect(held.map((d) => d.state)).toEqual(tasks.map(() => 'pending'));

    // The phones reconnect and send the acknowledgement tapped 11 s after the dispatch.
    for (const a of tasks) {
      const at = new Date(dispatchedAt.get(a.id)! + ACK_AFTER_S * 1000).toISOString();
      const r = await deviceRequest(t, { id: `phone-${a.unitId}`, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at, reportId: `ack-${a.id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged', releasedReason: null } });
    }
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    for (const a of after.assignments) expect(a).toMatchObject({ status: 'acknowledged', releasedReason: null, replacesId: null });
    expect(after.assignments).toHaveLength(tasks.length);
    expect(after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([]);
    const units: { status: string }[] = await t.ds.query(`SELECT status FROM unit WHERE id = ANY($1)`, [tasks.map((a) => a.unitId)]);
    expect(units.map((u) => u.status)).toEqual(tasks.map(() => 'dispatched'));
    const deadlines: { state: string }[] = await t.ds.query(`SELECT state FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [incident.id]);
    expect(deadlines.map((d) => d.state)).toEqual(tasks.map(() => 'cancelled'));
    const events: { type: string }[] = await t.ds.query(`SELECT type FROM incident_event WHERE incident_id = $1 AND type IN ('assignment.given_back', 'assignment.released')`, [incident.id]);
    expect(events).toEqual([]);

    // The silent crew's deadline waited the grace (30 s) after the API came back, then fired.
    const fired = await waitFor(async () => {
      const [row]: { fired_at: Date | null }[] = await t.ds.query(`SELECT fired_at FROM deadline WHERE incident_id = $1 AND kind = 'ack' AND state = 'fired' LIMIT 1`, [silent.id]);
      return row?.fired_at ?? null;
    }, 60000, 'the silent crew’s deadline fired after the grace');
    expect(fired.getTime()).toBeGreaterThanOrEqual(new Date(outages[0].endedAt).getTime() + 30_000 - 50);
  }, 120_000);
});
