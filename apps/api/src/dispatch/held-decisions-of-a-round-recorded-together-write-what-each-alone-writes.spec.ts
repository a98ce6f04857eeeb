import { Queue } from 'bullmq';
import { jobIds, QueueName } from '../queues/queues.constants';
import { IncidentIntakeService } from '../intake/incident-intake.service';
import { startTestApp, TestApp } from '../testing/test-app';
import { DecisionToCommit, DispatchService } from './dispatch.service';
import { ClosuresService } from '../closures/closures.service';
import { QueuesService } from '../queues/queues.service';
import { redispatchWaiting } from '../queues/redispatch';

/**
 * Issue 19: in a surge with the fleet busy nearly every dispatch decision is held (waiting with a
 * reason, after escalating). A round records its held decisions together, in one transaction of a few
 * statements; each incident must end with exactly what a decision recorded alone writes: tier, revision,
 * decided revision, reason, escalation rows, pending deadline, events and their payloads. Hostile twins:
 * an incident decided meanwhile is left alone in the batch, and a batch whose transaction fails (an
 * escalation recorded meanwhile) records each decision alone, losing none and doubling none.
 * Real PostgreSQL and Redis; no worker runs, so nothing else decides these incidents.
 */
describe('held decisions of a round recorded together (real Postgres and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('held-batch', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Places new calls (no worker: intake is run here) and answers their incidents' ids, in order. */
  let used = 0;
  async function incidents(prefix: string, n: number): Promise<string[]> {
    // Beside a different station each (stations lie far more than the duplicate radius apart), never
    // beside one an earlier test used: no call is linked to another's incident.
    const stations: { lat: number; lon: number }[] = await t.ds.query(
      `SELECT DISTINCT ON (round(lat::numeric, 3), round(lon::numeric, 3)) lat, lon FROM unit WHERE world = 'live' ORDER BY round(lat::numeric, 3), round(lon::numeric, 3) OFFSET $1 LIMIT $2`,
      [used, n],
    );
    used += n;
    const ids: string[] = [];
    for (let k = 0; k < n; k++) {
      const r = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: stations[k].lat + 0.0005, lon: stations[k].lon, callNumber: `${prefix}-${k}`, address: `${prefix} ${k} Held St` });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const placed = await t.app.get(IncidentIntakeService).intakeBatch(ids);
    return placed.map((p) => {
      if (p instanceof Error) throw p;
      return p.incidentId;
    });
  }

  /** A held decision as a round makes it: no unit, the street escalated to the district, waiting with a reason. */
  const held = (incidentId: string): DecisionToCommit => ({
    incidentId,
    revision: 1,
    escalations: [{ fromTier: 'street', toTier: 'district', detail: 'engine: no unit within 240 s' }],
    chosen: [],
    unfilled: ['engine'],
    slots: ['engine'],
    requested: [],
    why: { code: 'no_unit_busy', params: { capabilities: 'engine' } },
    tier: 'district',
  });

  /** What an incident ended with: its row, escalations, deadlines and events (ids and instants left out). */
  async function record(id: string) {
    const [row] = await t.ds.query(
      `SELECT status, commanding_tier, commanding_jurisdiction_id IS NOT NULL AS has_jid, revision::int, decided_revision::int, last_error, last_error_code, last_error_params FROM incident WHERE id = $1`,
      [id],
    );
    const escalations = await t.ds.query(`SELECT key, from_tier, to_tier, reason, detail, actor FROM escalation WHERE incident_id = $1 ORDER BY at, recorded_at`, [id]);
    const deadlines = await t.ds.query(`SELECT kind, revision::int, state FROM deadline WHERE incident_id = $1 ORDER BY key`, [id]);
    const events: { type: string; actor: string; payload: Record<string, unknown> }[] = await t.ds.query(`SELECT type, actor, payload FROM incident_event WHERE incident_id = $1 AND actor = 'dispatch' ORDER BY id`, [id]);
    return {
      row,
      escalations: escalations.map((e: { key: string }) => ({ ...e, key: e.key.replace(id, '<id>') })),
      deadlines,
      events: events.map((e) => ({
        type: e.type,
        actor: e.actor,
        payload:
          e.type === 'incident.updated'
            ? { status: e.payload.status, commandingTier: e.payload.commandingTier, revision: e.payload.revision, lastError: e.payload.lastError, escalations: (e.payload.escalations as unknown[]).length }
            : { ...e.payload, incidentId: '<id>', toJurisdictionId: typeof e.payload.toJurisdictionId },
      })),
    };
  }

  it('three held decisions recorded together leave each incident as one recorded alone does', async () => {
    const [alone, ...together] = await incidents('held-same', 3);
    const dispatch = t.app.get(DispatchService);
    const network = await t.app.get(ClosuresService).networkFor(null);
    expect(await dispatch.commitDecision(held(alone), new Map(), network)).toEqual({ done: [], unfilled: ['engine'], asked: 0 });
    expect(await dispatch.commitHeldDecisions(together.map(held), new Map(), network)).toEqual([
      { done: [], unfilled: ['engine'], asked: 0 },
      { done: [], unfilled: ['engine'], asked: 0 },
    ]);
    const want = await record(alone);
    expect(want.row).toMatchObject({ status: 'received', commanding_tier: 'district', revision: 2, decided_revision: 2, last_error_code: 'no_unit_busy' });
    expect(want.escalations).toHaveLength(1);
    expect(want.deadlines).toEqual([{ kind: 'pending', revision: 2, state: 'pending' }]);
    expect(want.events.map((e) => e.type)).toEqual(['incident.escalated', 'incident.updated']);
    for (const id of together) expect(await record(id)).toEqual(want);
    // Each armed deadline has its timer job queued, as a decision alone queues it.
    const deadlines: { id: string }[] = await t.ds.query(`SELECT id FROM deadline WHERE incident_id = ANY($1)`, [[alone, ...together]]);
    const queue = new Queue(QueueName.Escalation, { connection: { url: process.env.REDIS_URL }, prefix: t.config.REDIS_PREFIX });
    try {
      for (const d of deadlines) expect(await queue.getJob(jobIds.deadline(d.id))).toBeDefined();
    } finally {
      await queue.close();
    }
  });

  it('hostile: an incident decided meanwhile is left alone in the batch; the others are recorded', async () => {
    const [a, b, c] = await incidents('held-moved', 3);
    // b was decided at its revision by another round before this batch committed.
    await t.ds.query(`UPDATE incident SET decided_revision = revision, last_error = 'decided elsewhere' WHERE id = $1`, [b]);
    const dispatch = t.app.get(DispatchService);
    const network = await t.app.get(ClosuresService).networkFor(null);
    const out = await dispatch.commitHeldDecisions([held(a), held(b), held(c)], new Map(), network);
    expect(out.map((r) => r !== null)).toEqual([true, false, true]);
    const bRec = await record(b);
    expect(bRec.row).toMatchObject({ commanding_tier: 'street', revision: 1, decided_revision: 1, last_error: 'decided elsewhere' });
    expect(bRec.escalations).toEqual([]);
    expect(bRec.events).toEqual([]);
    for (const id of [a, c]) expect((await record(id)).row).toMatchObject({ commanding_tier: 'district', revision: 2, decided_revision: 2 });
  });

  it('hostile: a batch whose escalation was recorded meanwhile fails as a whole and each decision is recorded alone: none lost, none doubled', async () => {
    const [a, b, c] = await incidents('held-fail', 3);
    // Another writer recorded b's escalation key (and nothing else) before the batch: the batch's INSERT finds it.
    await t.ds.query(
      `INSERT INTO escalation (incident_id, key, from_tier, to_tier, to_jurisdiction_id, reason, detail, actor, at) SELECT id, $2, 'street', 'district', district_id, 'plan_not_coverable', 'elsewhere', 'dispatch', now() FROM incident WHERE id = $1`,
      [b, `plan-${b}-r1-street`],
    );
    const dispatch = t.app.get(DispatchService);
    const network = await t.app.get(ClosuresService).networkFor(null);
    const out = await dispatch.commitHeldDecisions([held(a), held(b), held(c)], new Map(), network);
    expect(out.every((r) => r !== null)).toBe(true);
    for (const id of [a, c]) {
      const r = await record(id);
      expect(r.row).toMatchObject({ commanding_tier: 'district', revision: 2, decided_revision: 2 });
      expect(r.escalations).toHaveLength(1);
      expect(r.events.map((e) => e.type)).toEqual(['incident.escalated', 'incident.updated']);
    }
    // b: recorded alone, as a decision alone records it when its escalation key exists (the escalation once, the decision once).
    const rb = await record(b);
    expect(rb.escalations).toHaveLength(1);
    expect(rb.row.decided_revision).toBe(rb.row.revision);
    expect(rb.events.filter((e) => e.type === 'incident.updated')).toHaveLength(1);
  });

  it('hostile: batches racing the redispatch of every waiting incident (a unit freed) never deadlock: both lock incidents in id order', async () => {
    const [seed] = await incidents('held-race', 1);
    // 450 waiting incidents: the seed cloned by SQL (fresh ids), each held with a reason.
    const cols: { column_name: string }[] = await t.ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'incident' AND column_name <> 'id'`);
    const list = cols.map((c) => `"${c.column_name}"`).join(', ');
    await t.ds.query(`INSERT INTO incident (id, ${list}) SELECT gen_random_uuid(), ${list} FROM incident, generate_series(1, 449) WHERE id = $1`, [seed]);
    await t.ds.query(`UPDATE incident SET last_error = 'waiting', decided_revision = NULL WHERE status = 'received' AND NOT exercise`);
    const dispatch = t.app.get(DispatchService);
    const queues = t.app.get(QueuesService);
    const network = await t.app.get(ClosuresService).networkFor(null);
    const before = { ...dispatch.heldBatches };
    for (let round = 0; round < 30; round++) {
      const picked: { id: string; revision: number }[] = await t.ds.query(`SELECT id, revision::int AS revision FROM incident WHERE status = 'received' AND NOT exercise ORDER BY random() LIMIT 50`);
      const decisions = picked.map((p) => ({ ...held(p.id), revision: p.revision, escalations: [], tier: 'city' as const }));
      const [batch, redispatch] = await Promise.allSettled([dispatch.commitHeldDecisions(decisions, new Map(), network), redispatchWaiting(t.ds, queues)]);
      expect(batch.status).toBe('fulfilled');
      expect(redispatch.status).toBe('fulfilled');
    }
    // Every batch was recorded together: none failed (a deadlock) and fell back to one decision at a time.
    expect(dispatch.heldBatches.alone - before.alone).toBe(0);
    expect(dispatch.heldBatches.together - before.together).toBe(30);
  });
});
