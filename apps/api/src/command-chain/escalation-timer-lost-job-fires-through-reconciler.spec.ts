import { QueuesService } from '../queues/queues.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Timers that cannot be lost: an acknowledgement deadline is a row in Postgres and a delayed BullMQ
 * job. When the job is deleted from Redis, the reconciler (a repeatable job) still fires the deadline
 * within its period and records that it did (the first deadline alerts the dispatcher; the second one it
 * arms gets its own job and escalates); a task acknowledged in time escalates nothing.
 */
describe('an escalation timer whose job was deleted from Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('timers', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('still fires through the reconciler within its period, once', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7890, lon: -122.4010 });
    const incident = await t.incidentOf(call.body.id);
    const deadlines: { id: string; assignment_id: string }[] = await t.ds.query(
      `SELECT id, assignment_id FROM deadline WHERE incident_id = $1 AND kind = 'ack' AND state = 'pending'`,
      [incident.id],
    );
    expect(deadlines.length).toBe(incident.assignments.length);
    // Lose every delayed job: Redis no longer knows about these timers.
    const queues = t.app.get(QueuesService);
    for (const d of deadlines) expect(await queues.removeDeadlineJob(d.id)).toBe(true);
    const tierBefore = incident.commandingTier;

    // Due after 2 s; the reconciler runs every 1 s (grace 1 s): fired within ~4 s.
    const fired = await waitFor(async () => {
      const rows = await t.ds.query(`SELECT state, fired_by FROM deadline WHERE id = ANY($1)`, [deadlines.map((d) => d.id)]);
      return rows.every((r: any) => r.state !== 'pending') ? rows : null;
    }, 10000, 'reconciler');
    expect(fired.every((r: any) => r.state === 'fired' && r.fired_by === 'reconciler')).toBe(true);

    // The lost first deadlines alerted the dispatcher (the acknowledgement policy's first step), once each.
    const alerts = await t.ds.query(`SELECT actor FROM incident_event WHERE incident_id = $1 AND type = 'assignment.ack_overdue'`, [incident.id]);
    expect(alerts).toEqual(deadlines.map(() => ({ actor: 'timer:reconciler' })));
    let events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body.map((e: any) => e.type);
    expect(events.filter((e: string) => e === 'timer.recovered')).toHaveLength(deadlines.length);

    // The second deadlines the alerts armed got their jobs: they replace and escalate on time.
    const after = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
      return v.escalations.some((e: any) => e.reason === 'not_acknowledged') ? v : null;
    }, 10000, 'the second timeout');
    const timerEscalations = after.escalations.filter((e: any) => e.reason === 'not_acknowledged');
    // Every second deadline of one incident fires about together: the first moved it up one tier, and a
    // later one for the same incident moved it again only if a higher tier existed.
    expect(timerEscalations[0]).toMatchObject({ fromTier: tierBefore, actor: 'timer:queue' });
    const [{ n: keys }] = await t.ds.query(`SELECT count(DISTINCT key)::int AS n FROM escalation WHERE incident_id = $1 AND reason = 'not_acknowledged'`, [incident.id]);
    expect(keys).toBe(timerEscalations.length);
    events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body.map((e: any) => e.type);
    expect(events.filter((e: string) => e === 'timer.recovered')).toHaveLength(deadlines.length);
  });

  it('a task acknowledged in time cancels its deadline and escalates nothing', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    for (const a of incident.assignments) {
      const r = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged' } });
    }
    await new Promise((r) => setTimeout(r, 4000));
    const rows = await t.ds.query(`SELECT state FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [incident.id]);
    expect(rows.map((r: any) => r.state)).toEqual(incident.assignments.map(() => 'cancelled'));
    const after = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(after.escalations.filter((e: any) => e.reason === 'not_acknowledged')).toEqual([]);
  });

  it('fires an unacknowledged task through its own delayed job when nothing was lost', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7800, lon: -122.4150 });
    const incident = await t.incidentOf(call.body.id);
    const fired = await waitFor(async () => {
      const rows = await t.ds.query(`SELECT state, fired_by FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [incident.id]);
      return rows.length && rows.every((r: any) => r.state !== 'pending') ? rows : null;
    }, 10000, 'ack deadline');
    // The queue fires on time; the reconciler only acts on what is past due by its grace, so it finds nothing.
    expect(fired.some((r: any) => r.fired_by === 'queue')).toBe(true);
  });
});
