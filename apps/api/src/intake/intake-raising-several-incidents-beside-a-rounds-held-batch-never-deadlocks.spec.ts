import { ClosuresService } from '../closures/closures.service';
import { DecisionToCommit, DispatchService } from '../dispatch/dispatch.service';
import { startTestApp, TestApp } from '../testing/test-app';
import { IncidentIntakeService } from './incident-intake.service';

/**
 * Issue 19: a dispatch round records its held decisions together, holding up to 50 incident rows locked
 * in id order. An intake batch whose more urgent calls raise the priority of several incidents locks
 * those incidents too; locked one by one in call order they could close a cycle with the round's batch
 * (PostgreSQL then kills one side after `deadlock_timeout`, and both record one by one). Intake now locks
 * every incident its batch may raise up front, in id order. Here calls are posted in the reverse of their
 * incidents' id order, and each intake batch races a held batch over the same incidents: PostgreSQL
 * counts no deadlock, every call is linked and every raise recorded. Real PostgreSQL and Redis; no worker
 * runs, so only these two writers touch the incidents.
 */
describe('an intake batch raising several incidents beside a round holding them (real Postgres and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('raise-vs-held', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  const deadlocks = async (): Promise<number> => {
    await t.ds.query('SELECT pg_stat_clear_snapshot()');
    const [r] = await t.ds.query('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()');
    return r.n;
  };

  it('ten P1 calls raising ten P3 incidents while a round records their held decisions, both held up at the middle incident: no deadlock, every call linked, every incident raised once', async () => {
    const intake = t.app.get(IncidentIntakeService);
    const dispatch = t.app.get(DispatchService);
    const network = await t.app.get(ClosuresService).networkFor(null);
    const stations: { lat: number; lon: number }[] = await t.ds.query(
      `SELECT DISTINCT ON (round(lat::numeric, 3), round(lon::numeric, 3)) lat, lon FROM unit WHERE world = 'live' ORDER BY round(lat::numeric, 3), round(lon::numeric, 3) LIMIT 10`,
    );
    expect(stations).toHaveLength(10);
    const post = async (callNumber: string, priority: number, at: { lat: number; lon: number }) => {
      const r = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority, ...at, callNumber, address: `${callNumber} Raise St` });
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const at = stations.map((s) => ({ lat: s.lat + 0.0027, lon: s.lon }));
    const opened = await intake.intakeBatch(await Promise.all(at.map((p, k) => post(`raise-p3-${k}`, 3, p))));
    const incidents = opened.map((o) => {
      if (o instanceof Error) throw o;
      return o.incidentId;
    });
    // The incidents in the database's id order; their P1 calls posted in the reverse order (intake places a batch in the order received).
    const byId: string[] = (await t.ds.query(`SELECT id FROM incident WHERE id = ANY($1) ORDER BY id`, [incidents])).map((r: { id: string }) => r.id);
    const calls: string[] = [];
    for (const id of [...byId].reverse()) {
      const k = incidents.indexOf(id);
      calls.push(await post(`raise-p1-${k}`, 1, { lat: at[k].lat + 0.0002, lon: at[k].lon }));
    }
    const held: DecisionToCommit[] = incidents.map((incidentId) => ({
      incidentId,
      revision: 1,
      escalations: [],
      chosen: [],
      unfilled: ['engine'],
      slots: ['engine'],
      requested: [],
      why: { code: 'no_unit_busy', params: { capabilities: 'engine' } },
      tier: 'city',
    }));
    const before = await deadlocks();
    const heldBefore = { ...dispatch.heldBatches };
    // A third writer holds the middle incident: both sides run into it, each holding the incidents it took
    // before (intake in call order, from the highest id down; the round from the lowest id up), then it lets go.
    const blocker = t.ds.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT id FROM incident WHERE id = $1 FOR UPDATE`, [byId[5]]);
    const both = Promise.allSettled([intake.intakeBatch(calls), dispatch.commitHeldDecisions(held, new Map(), network)]);
    const waiting = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n as number;
    for (let i = 0; i < 200 && (await waiting()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await waiting()).toBe(2);
    await blocker.commitTransaction();
    await blocker.release();
    const [placed, decided] = await both;
    expect(placed.status).toBe('fulfilled');
    expect(decided.status).toBe('fulfilled');
    const rows: { linked: boolean; incident_id: string }[] = await t.ds.query(`SELECT linked, incident_id FROM call WHERE id = ANY($1)`, [calls]);
    expect(rows.every((r) => r.linked && incidents.includes(r.incident_id))).toBe(true);
    const raised: { priority: number; n: number }[] = await t.ds.query(
      `SELECT i.priority, (SELECT count(*)::int FROM incident_event e WHERE e.incident_id = i.id AND e.type = 'incident.priority_changed') AS n FROM incident i WHERE i.id = ANY($1)`,
      [incidents],
    );
    expect(raised).toHaveLength(10);
    expect(raised.every((r) => r.priority === 1 && r.n === 1)).toBe(true);
    // No held batch had to fall back to one decision at a time...
    expect(dispatch.heldBatches.alone - heldBefore.alone).toBe(0);
    // ...and PostgreSQL counted no deadlock (a backend reports its statistics when idle, at most 10 s later).
    await new Promise((r) => setTimeout(r, 11_000));
    expect((await deadlocks()) - before).toBe(0);
  }, 120_000);
});
