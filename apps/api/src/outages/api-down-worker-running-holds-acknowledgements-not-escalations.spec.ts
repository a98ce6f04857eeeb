import { cloneTestDatabase } from '@cad/db/testing';
import { DeadlinesService } from '../command-chain/deadlines.service';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Only the API is down; the worker keeps running and its timers keep firing. The worker sees the
 * API's heartbeats stop and opens an outage: an acknowledgement deadline falling due meanwhile is
 * held (the crew cannot report), and after the API is back it waits the grace, so the crew's
 * stamped acknowledgement wins. An incident with no unit is not a crew's report in flight: its
 * deadline escalates on time, API or not.
 */
describe('the API down while the worker keeps running', () => {
  const env = {
    ACK_TIMEOUT_S: '4',
    PENDING_TIMEOUT_S: '3',
    RECONCILE_INTERVAL_S: '1',
    OUTAGE_HEARTBEAT_S: '0.5',
    OUTAGE_GAP_S: '1.5',
    OUTAGE_GRACE_S: '6',
    SILENT_UNIT_LIMIT: '50',
    REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:outage-api:${process.pid}`,
  };
  let databaseUrl: string;
  let worker: TestApp;
  let api: TestApp;
  beforeAll(async () => {
    databaseUrl = await cloneTestDatabase('outage-api');
    worker = await startTestApp('outage-api', { ...env, RUN_WORKERS: 'true' }, { databaseUrl, role: 'worker', signIn: false });
    api = await startTestApp('outage-api', { ...env, RUN_WORKERS: 'false' }, { databaseUrl });
  });
  afterAll(async () => {
    await api.close();
    await worker.close();
  });

  it('holds the crew’s acknowledgement deadline through the outage and its grace, and escalates the incident with no unit on time', async () => {
    const acked = await api.incidentOf((await api.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 })).body.id);
    const tasks: { id: string; unitId: string; dispatchedAt: string }[] = acked.assignments;
    expect(tasks.length).toBeGreaterThan(0);
    // Every other live unit is busy elsewhere: the next incident gets none.
    await api.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND status = 'available' AND id <> ALL($1)`, [tasks.map((a) => a.unitId)]);
    expect((await api.request('PUT', '/api/response-plans/Outage Test Fire', { slots: { engine: 1 }, commandingTier: 'street' })).status).toBe(200);
    const bare = (await api.request('POST', '/api/calls', { type: 'Outage Test Fire', priority: 1, lat: 37.7800, lon: -122.4150 })).body.id as string;
    const bareIncident = await api.incidentOf(bare, true);
    // Its dispatch found no unit at any tier: it went up to the city at once (plan not coverable).
    await waitFor(async () => ((await api.request('GET', `/api/incidents/${bareIncident.id}`)).body.commandingTier === 'city' ? true : null), 20000, 'the no-unit incident at the city');
    // Played back to its district with its own no-unit deadline armed, as a dispatch round that sent
    // nobody arms it: that deadline must escalate on time however long the API is down.
    const chain = worker.app.get(DeadlinesService);
    const armed = await worker.ds.transaction(async (m) => {
      const [rows]: [{ revision: string }[], number] = await m.query(
        `UPDATE incident SET commanding_tier = 'district', commanding_jurisdiction_id = district_id WHERE id = $1 RETURNING revision::text AS revision`,
        [bareIncident.id],
      );
      return chain.arm(m, { kind: 'pending', incidentId: bareIncident.id, revision: Number(rows[0].revision) });
    });
    expect(armed).not.toBeNull();
    await chain.scheduleDeadlines([armed]);
    const pending = { due_at: armed!.dueAt, incident_id: bareIncident.id as string };

    await api.close(); // the API goes away; the worker runs on
    await new Promise((r) => setTimeout(r, 9000));
    // Meanwhile: the escalation went ahead on time, the acknowledgement deadlines did not.
    const [esc]: { at: Date; to_tier: string }[] = await worker.ds.query(`SELECT at, to_tier FROM escalation WHERE incident_id = $1 AND reason = 'no_unit_in_time' ORDER BY at LIMIT 1`, [pending.incident_id]);
    expect(esc).toMatchObject({ to_tier: 'city' });
    expect(esc.at.getTime() - pending.due_at.getTime()).toBeLessThan(3000);
    const held: { state: string }[] = await worker.ds.query(`SELECT state FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [acked.id]);
    expect(held.map((d) => d.state)).toEqual(tasks.map(() => 'pending'));
    // (With beats every 0.5 s and a gap of 1.5 s, a loaded machine's event-loop stalls may also have
    // recorded short, ended outages: the API's absence is the one outage still open.)
    const opened: { ended_at: Date | null; detected_by: string }[] = await worker.ds.query(`SELECT ended_at, detected_by FROM outage WHERE ended_at IS NULL`);
    expect(opened).toHaveLength(1);
    const [open] = opened;
    expect(open.detected_by).toMatch(/^worker-/);

    api = await startTestApp('outage-api', { ...env, RUN_WORKERS: 'false' }, { databaseUrl });
    await new Promise((r) => setTimeout(r, 1500));
    for (const a of tasks) {
      const at = new Date(new Date(a.dispatchedAt).getTime() + 1000).toISOString();
      const r = await deviceRequest(api, { id: `phone-${a.unitId}`, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at, reportId: `ack-${a.id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged' } });
    }
    await new Promise((r) => setTimeout(r, 7000));
    const after = (await api.request('GET', `/api/incidents/${acked.id}`)).body;
    expect(after.assignments).toHaveLength(tasks.length);
    for (const a of after.assignments) expect(a).toMatchObject({ status: 'acknowledged', releasedReason: null });
    expect(after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([]);
    const units: { status: string }[] = await api.ds.query(`SELECT status FROM unit WHERE id = ANY($1) AND world = 'live'`, [tasks.map((a) => a.unitId)]);
    expect(units.map((u) => u.status)).toEqual(tasks.map(() => 'dispatched'));
    const outages: { endedAt: string | null; seconds: number }[] = (await api.request('GET', '/api/outages')).body;
    const absence = outages.filter((o) => o.seconds > 8);
    expect(absence).toHaveLength(1);
    expect(absence[0].endedAt).not.toBeNull();
    expect(esc.at.getTime()).toBeLessThan(new Date(absence[0].endedAt!).getTime());
  });

  it('gives a task the timer took in the outage’s first seconds back to its crew: the unacknowledged replacement is recalled, the acknowledged one stays', async () => {
    await api.ds.query(`UPDATE unit SET status = 'available', out_of_service_by = NULL WHERE world = 'live' AND status = 'out_of_service'`);
    const incident = await api.incidentOf((await api.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.4350 })).body.id);
    const tasks: { id: string; unitId: string; capability: string; dispatchedAt: string }[] = incident.assignments;
    expect(tasks.length).toBe(2);
    // The first timeout only alerts the dispatcher (the API is up); the second one takes the task.
    const due: Date = await waitFor(async () => {
      const [r]: { due_at: Date | null }[] = await api.ds.query(`SELECT min(due_at) AS due_at FROM deadline WHERE incident_id = $1 AND kind = 'ack_final'`, [incident.id]);
      return r.due_at;
    }, 15000, 'the dispatcher alerted, the second deadlines armed');
    // The API dies 0.2 s before the second deadline: the deadline falls in the outage, but fires before the
    // worker can know it is one (no heartbeat for OUTAGE_GAP_S = 1.5 s: at the earliest 0.8 s after it).
    await new Promise((r) => setTimeout(r, Math.max(0, due.getTime() - 200 - Date.now())));
    await api.close();
    const replacements = await waitFor(async () => {
      const rows: { id: string; unit_id: string; replaces_id: string }[] = await worker.ds.query(
        `SELECT id, unit_id, replaces_id FROM assignment WHERE replaces_id = ANY($1) AND status = 'dispatched'`,
        [tasks.map((a) => a.id)],
      );
      return rows.length === tasks.length ? rows : null;
    }, 20000, 'both tasks taken back and replaced during the outage');
    await waitFor(async () => ((await worker.ds.query(`SELECT 1 FROM outage WHERE ended_at IS NULL`)).length ? true : null), 10000, 'the worker to see the outage');

    api = await startTestApp('outage-api', { ...env, RUN_WORKERS: 'false' }, { databaseUrl });
    const engine = tasks.find((a) => a.capability === 'engine')!;
    const other = tasks.find((a) => a.capability !== 'engine')!;
    const engineRepl = replacements.find((r) => r.replaces_id === engine.id)!;
    const otherRepl = replacements.find((r) => r.replaces_id === other.id)!;
    // The engine's replacement crew acknowledged first; the other replacement did not yet.
    expect((await api.request('PATCH', `/api/assignments/${engineRepl.id}`, { status: 'acknowledged' })).status).toBe(200);
    const answers: Record<string, { recalled: string[]; kept: string[] }> = {};
    for (const a of tasks) {
      const at = new Date(new Date(a.dispatchedAt).getTime() + 1000).toISOString();
      const r = await deviceRequest(api, { id: `phone-${a.unitId}`, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at, reportId: `ack-${a.id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged', releasedReason: null } });
      answers[a.id] = r.body.givenBack;
    }
    expect(answers[engine.id]).toEqual({ recalled: [], kept: [engineRepl.unit_id] });
    expect(answers[other.id]).toEqual({ recalled: [otherRepl.unit_id], kept: [] });
    const after = (await api.request('GET', `/api/incidents/${incident.id}`)).body;
    const byId = new Map<string, { status: string; releasedReason: string | null }>(after.assignments.map((a: { id: string }) => [a.id, a]));
    expect(byId.get(engineRepl.id)).toMatchObject({ status: 'acknowledged', releasedReason: null });
    expect(byId.get(otherRepl.id)).toMatchObject({ status: 'cleared', releasedReason: 'recalled' });
    const units = new Map<string, string>(
      (await api.ds.query(`SELECT id, status FROM unit WHERE world = 'live' AND id = ANY($1)`, [[...tasks.map((a) => a.unitId), otherRepl.unit_id]])).map((u: { id: string; status: string }) => [u.id, u.status]),
    );
    for (const a of tasks) expect(units.get(a.unitId)).toBe('dispatched');
    expect(units.get(otherRepl.unit_id)).toBe('available');
    const events = (await api.request('GET', `/api/incidents/${incident.id}/events`)).body.filter((e: { type: string }) => e.type === 'assignment.given_back');
    expect(events).toHaveLength(2);
    // The recalled crew's phone was told; its acknowledgement now is refused, not applied.
    const late = await api.request('PATCH', `/api/assignments/${otherRepl.id}`, { status: 'acknowledged' });
    expect(late.status).toBe(409);
  });
});
