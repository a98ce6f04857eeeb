import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Issue 19 (surge): many calls about one event are linked to its incident, and a linked call locks the
 * incident row only when it is more urgent than the incident (it raises the priority), deciding the
 * raise again under the lock. Proved here:
 * - two P1 duplicates of a P2 incident arriving at once raise it once, to 1 (one
 *   `incident.priority_changed`), and both are linked;
 * - the hostile twin of the lock-free read: a P1 call that read the incident at P2 while another
 *   transaction was raising it (as a merge does) finds it at P1 under the lock and raises nothing;
 * - many same-priority duplicates at once are all linked with no priority event, even while another
 *   transaction holds the incident row (`FOR NO KEY UPDATE`, what an update of the incident takes):
 *   their link does not wait for the row.
 */
describe('surge duplicates: priority raised once, same-priority calls linked without locking the incident', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No unit in service and no timer: nothing but the links touches the incidents.
    t = await startTestApp('surge-duplicates', { PENDING_TIMEOUT_S: '3600', WAITING_RETRY_S: '3600' });
    await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND status = 'available'`);
  });
  afterAll(async () => {
    await t.close();
  });

  const stamp = Date.now();
  const row = async (incidentId: string) =>
    (await t.ds.query(`SELECT priority::int AS priority, revision::int AS revision, decided_revision::int AS decided FROM incident WHERE id = $1`, [incidentId]))[0] as {
      priority: number;
      revision: number;
      decided: number | null;
    };
  /** Opens a P2 incident at a point, waits until its dispatch decided it (nothing sent: no unit in service), and answers its id and revision then. */
  const p2Incident = async (lat: number, lon: number, tag: string) => {
    const r = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat, lon, callNumber: `${tag}-${stamp}-first` });
    expect(r.status).toBe(202);
    const { id } = (await t.incidentOf(r.body.id, true)) as { id: string };
    await t.settle(async () => {
      const now = await row(id);
      return now.decided === now.revision;
    });
    return { id, revision: (await row(id)).revision };
  };
  /** The incident's priority and revision. */
  const state = async (incidentId: string) => {
    const { priority, revision } = await row(incidentId);
    return { priority, revision };
  };
  /** Posts calls at once, within ~20 m of a point; answers their ids. */
  const postAtOnce = async (lat: number, lon: number, priorities: number[], tag: string) => {
    const posts = await Promise.all(
      priorities.map((priority, k) =>
        t.request('POST', '/api/calls', { type: 'Medical Incident', priority, lat: lat + 0.00015 * Math.sin(k), lon: lon + 0.00015 * Math.cos(k), callNumber: `${tag}-${stamp}-${k}` }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(priorities.map(() => 202));
    return posts.map((p) => p.body.id as string);
  };
  const linkedTo = async (ids: string[], incidentId: string) =>
    (await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id = $2 AND linked`, [ids, incidentId]))[0].n as number;
  const events = async (incidentId: string, type: string) =>
    (await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = $2 ORDER BY id`, [incidentId, type])).map((r: { payload: unknown }) => r.payload) as {
      from: number;
      to: number;
      reason: string;
      callId?: string;
    }[];

  it('two P1 duplicates of a P2 incident at once: raised once to 1, one priority_changed, both linked', async () => {
    const incident = await p2Incident(37.7641, -122.4312, 'twin-p1');
    const ids = await postAtOnce(37.7641, -122.4312, [1, 1], 'twin-p1');
    await waitFor(async () => (await linkedTo(ids, incident.id)) === 2 || null, 20000, 'both P1 calls linked');
    await t.settle();

    expect(await state(incident.id)).toEqual({ priority: 1, revision: incident.revision + 1 });
    const raised = await events(incident.id, 'incident.priority_changed');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ from: 2, to: 1, reason: 'call_linked' });
    expect(ids).toContain(raised[0].callId);
    expect(await events(incident.id, 'call.linked')).toHaveLength(2);
  });

  it('hostile: a P1 call that read the incident at P2 while another transaction raised it finds it at P1 under the lock and raises nothing', async () => {
    const incident = await p2Incident(37.7512, -122.4187, 'raced');
    const other = t.ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      // Another transaction raises the incident (as a merge does) and has not committed yet.
      await other.query(`UPDATE incident SET priority = 1, revision = revision + 1 WHERE id = $1`, [incident.id]);
      const [id] = await postAtOnce(37.7512, -122.4187, [1], 'raced');
      // The call's intake read the row at P2 (the raise is not committed) and now waits for its lock.
      await waitFor(
        async () =>
          // The row lock's SELECT: the batch's up-front lock of the incidents its calls may raise (in id order), or
          // TypeORM's `findOne ... FOR UPDATE` of the one incident (the activity view cuts long query texts).
          (
            await t.ds.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND (query LIKE 'SELECT id FROM incident WHERE id = ANY%' OR query LIKE 'SELECT "Incident"."id"%')`,
            )
          ).length > 0 || null,
        8000,
        'the intake waiting for the incident row',
      );
      await other.commitTransaction();
      await waitFor(async () => (await linkedTo([id], incident.id)) === 1 || null, 20000, 'the P1 call linked');
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    await t.settle();
    // The other transaction's raise stands; the call raised nothing again.
    expect(await state(incident.id)).toEqual({ priority: 1, revision: incident.revision + 1 });
    expect(await events(incident.id, 'incident.priority_changed')).toHaveLength(0);
    expect(await events(incident.id, 'call.linked')).toHaveLength(1);
  });

  it('twelve same-priority duplicates at once are all linked with no priority event, without waiting for the incident row', async () => {
    const incident = await p2Incident(37.7833, -122.4667, 'surge');
    const other = t.ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    let ids: string[] = [];
    try {
      // Another transaction holds the incident row as an update of it would; a lock-free link does not wait for it.
      await other.query(`SELECT id FROM incident WHERE id = $1 FOR NO KEY UPDATE`, [incident.id]);
      ids = await postAtOnce(37.7833, -122.4667, [2, 2, 2, 3, 2, 2, 3, 2, 2, 2, 3, 2], 'surge');
      await waitFor(async () => (await linkedTo(ids, incident.id)) === 12 || null, 20000, 'the twelve calls linked while the row is held');
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
    await t.settle();
    expect(await state(incident.id)).toEqual({ priority: 2, revision: incident.revision });
    expect(await events(incident.id, 'incident.priority_changed')).toHaveLength(0);
    expect(await events(incident.id, 'call.linked')).toHaveLength(12);
  });
});
