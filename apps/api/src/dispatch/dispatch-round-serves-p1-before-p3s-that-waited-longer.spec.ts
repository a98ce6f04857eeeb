import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { AssignmentsService } from '../incidents/assignments.service';
import { DispatchRoundService } from './dispatch-round.service';

/**
 * Dispatch rounds in the worker, on real PostgreSQL and Redis: a round solves every waiting incident of
 * the live world against every free unit at once, by priority class with ageing. A P1 just in gets the
 * one free engine before three P3s that waited five minutes and lie nearer to it; in a long surge of P2s
 * a P3 ages into their class (and past it) and is served while they keep coming; and a dispatch job
 * for an incident already decided does nothing.
 */
const MIN = 60_000;
type Row = { id: string; lat: number; lon: number };

async function setUp(t: TestApp) {
  const engines: Row[] = await t.ds.query(`SELECT id, lat, lon FROM unit WHERE world = 'live' AND capabilities = ARRAY['engine']::text[] ORDER BY id`);
  await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live'`);
  const incidentOfCall = (callId: string) =>
    waitFor(async () => {
      const [r] = await t.ds.query(`SELECT c.incident_id FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = $1 AND i.decided_revision IS NOT NULL`, [callId]);
      return r?.incident_id as string | undefined;
    }, 20000, `decision on the incident of call ${callId}`);
  /** Posts an Outside Fire (one engine) and waits for its first decision (waiting: every unit is out). */
  const call = async (callNumber: string, priority: number, at: { lat: number; lon: number }, receivedAt?: Date) => {
    const r = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority, ...at, callNumber, address: `${callNumber} Surge St`, ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}) });
    expect(r.status).toBe(202);
    return incidentOfCall(r.body.id);
  };
  const unitsOf = async (incidentId: string): Promise<string[]> =>
    (await t.ds.query(`SELECT unit_id FROM assignment WHERE incident_id = $1 ORDER BY unit_id`, [incidentId])).map((r: { unit_id: string }) => r.unit_id);
  /** One engine comes back into service and is reported free, as a crew clearing would: the waiting incidents are triggered again. */
  const free = async (engineId: string) => {
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = $1`, [engineId]);
    await t.app.get(AssignmentsService).redispatchWaiting('live');
    await t.settle(async () => (await t.ds.query(`SELECT 1 FROM assignment WHERE unit_id = $1 AND world = 'live'`, [engineId])).length > 0);
  };
  return { engines, call, unitsOf, free };
}

describe('a dispatch round serves a P1 before P3s that waited longer (worker, real Postgres and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('round-p1');
  });
  afterAll(async () => {
    await t.close();
  });

  it('one engine frees while three P3s (5 min waiting, nearer) and a P1 (just in) wait: the P1 gets it in one round; the P3s wait with a reason', async () => {
    const { engines, call, unitsOf, free } = await setUp(t);
    const e = engines[0];
    const now = Date.now();
    const p3s: string[] = [];
    for (let k = 0; k < 3; k++) p3s.push(await call(`round-p3-${k}`, 3, { lat: e.lat + 0.003 * (k + 1), lon: e.lon }, new Date(now - (5 - k) * MIN)));
    const p1 = await call('round-p1', 1, { lat: e.lat - 0.02, lon: e.lon + 0.02 });
    await free(e.id);
    expect(await unitsOf(p1)).toEqual([e.id]);
    for (const id of p3s) {
      expect(await unitsOf(id)).toEqual([]);
      const [row] = await t.ds.query(`SELECT status, last_error FROM incident WHERE id = $1`, [id]);
      expect(row.status).toBe('received');
      expect(row.last_error).toMatch(/no available unit could be dispatched \(engine\)/);
    }
    // The task says it was decided in a round of all four waiting incidents, in the P1's class.
    const [created] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [p1]);
    expect(created.payload.reason).toMatch(/dispatch round of 4 incidents, class 2/);
  });

  it('hostile: a dispatch job for an incident already decided does nothing, and a duplicate call is linked, never dispatched twice', async () => {
    const { engines, call, unitsOf } = await setUp(t);
    const e = engines[1];
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = $1`, [e.id]);
    const at = { lat: e.lat + 0.001, lon: e.lon };
    const id = await call('round-dup-a', 2, at);
    await t.settle(async () => (await unitsOf(id)).length === 1);
    const [{ revision }] = await t.ds.query(`SELECT revision::int AS revision FROM incident WHERE id = $1`, [id]);
    const events = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1`, [id]))[0].n as number;
    const before = await events();
    const rounds = t.app.get(DispatchRoundService);
    expect(await rounds.trigger(id, revision)).toMatchObject({ mode: 'skipped', rounds: 0 });
    expect(await rounds.trigger(id, revision)).toMatchObject({ mode: 'skipped', rounds: 0 });
    // A second call from the same spot links to the incident: still one engine, no second decision.
    const dup = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 2, ...at, callNumber: 'round-dup-b', address: 'round-dup-b Surge St' });
    expect(dup.status).toBe(202);
    await t.settle(async () => (await t.ds.query(`SELECT incident_id FROM call WHERE id = $1 AND incident_id IS NOT NULL`, [dup.body.id])).length > 0);
    const [linked] = await t.ds.query(`SELECT incident_id FROM call WHERE id = $1`, [dup.body.id]);
    expect(linked.incident_id).toBe(id);
    expect(await unitsOf(id)).toEqual([e.id]);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [id]))[0].n).toBe(1);
    // Linking the call may say so on the incident; no dispatch event was added.
    const added: { type: string }[] = await t.ds.query(`SELECT type FROM incident_event WHERE incident_id = $1 ORDER BY seq OFFSET $2`, [id, before]);
    expect(added.map((a) => a.type).filter((ty) => ty.startsWith('assignment.') || ty === 'unit.status' || ty === 'incident.escalated')).toEqual([]);
  });
  it('hostile: a worker that died mid-round left incidents due with no job; the next job, even one for an incident already decided, runs the round', async () => {
    const engines: Row[] = await t.ds.query(`SELECT id, lat, lon FROM unit WHERE world = 'live' AND capabilities = ARRAY['engine']::text[] ORDER BY id OFFSET 2 LIMIT 1`);
    const waiting: { id: string }[] = await t.ds.query(`SELECT id FROM incident WHERE status = 'received' AND NOT exercise ORDER BY received_at`);
    expect(waiting.length).toBeGreaterThan(0);
    // The engine is back and the waiting incidents were made due, but their jobs died with the worker.
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = $1`, [engines[0].id]);
    await t.ds.query(`UPDATE incident SET revision = revision + 1 WHERE id = ANY($1)`, [waiting.map((w) => w.id)]);
    const [decided] = await t.ds.query(`SELECT id, revision::int AS revision FROM incident WHERE status = 'dispatched' AND NOT exercise ORDER BY received_at LIMIT 1`);
    const r = await t.app.get(DispatchRoundService).trigger(decided.id, decided.revision);
    expect(r).toMatchObject({ mode: 'round', rounds: 1 });
    const [sent] = await t.ds.query(`SELECT incident_id FROM assignment WHERE unit_id = $1 AND world = 'live'`, [engines[0].id]);
    // One of the incidents left waiting has it, and none is left due.
    expect(waiting.map((w) => w.id)).toContain(sent.incident_id);
    const [{ due }] = await t.ds.query(`SELECT count(*)::int AS due FROM incident WHERE status = 'received' AND NOT exercise AND (decided_revision IS NULL OR decided_revision < revision)`);
    expect(due).toBe(0);
  });
});

describe('an aged P3 is served in a long surge (worker, real Postgres and Redis)', () => {
  let t: TestApp;
  const AGEING_S = 5;
  beforeAll(async () => {
    // One class step per 5 s of waiting, so a surge of a few dozen seconds shows the ageing.
    t = await startTestApp('round-ageing', { DISPATCH_ROUND_AGEING_S: String(AGEING_S) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('fresh P2s keep coming and one engine frees at a time: the first go to P2s, then the P3 once it has aged into their class', async () => {
    const { engines, call, unitsOf, free } = await setUp(t);
    const base = engines[0];
    const spot = (k: number) => ({ lat: base.lat + 0.004 * (k % 6) - 0.01, lon: base.lon + 0.004 * Math.floor(k / 6) - 0.01 });
    // Warm-up: a first call served at once by the base engine (route searches and plans loaded), so
    // the surge's rounds follow each other about a second apart.
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = $1`, [base.id]);
    const warm = await call('surge-warm-up', 2, { lat: base.lat + 0.001, lon: base.lon });
    expect(await unitsOf(warm)).toEqual([base.id]);
    const p3 = await call('surge-p3', 3, spot(0));
    const p3At = Date.now();
    const servedP2: string[] = [];
    let servedAt = -1;
    for (let k = 1; k < engines.length && servedAt < 0; k++) {
      // Paced at half an ageing step per engine, however fast the machine: the P3 ages a class every two engines.
      await new Promise((r) => setTimeout(r, Math.max(0, p3At + ((k - 1) * AGEING_S * 1000) / 2 - Date.now())));
      // A fresh P2 arrives, then one engine frees: the round holds the P3, the P2s still waiting, and the fresh one.
      const p2 = await call(`surge-p2-${k}`, 2, spot(k));
      await free(engines[k].id);
      if ((await unitsOf(p3)).length) servedAt = k;
      else if ((await unitsOf(p2)).length) servedP2.push(p2);
    }
    // P2s won while the P3 was fresher than 2 steps (class 6 or 5 against their 4); it was served once
    // it had aged into their class (4, where the least total ETA decides) or past it (3, after every P1).
    expect(servedP2.length).toBeGreaterThan(0);
    expect(servedAt).toBeGreaterThan(0);
    const [{ waited }] = await t.ds.query(`SELECT extract(epoch FROM a.dispatched_at - i.received_at)::float8 AS waited FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE i.id = $1`, [p3]);
    expect(waited).toBeGreaterThanOrEqual(2 * AGEING_S);
    // The surge was still on: a P2 that arrived was left waiting when the P3 got its engine.
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE status = 'received' AND priority = 2 AND NOT exercise`);
    expect(n).toBeGreaterThan(0);
    const [created] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [p3]);
    expect(created.payload.reason).toMatch(/class [34]\)/);
  });
});
