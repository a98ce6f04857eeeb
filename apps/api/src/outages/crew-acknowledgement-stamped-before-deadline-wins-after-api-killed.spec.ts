import { cloneTestDatabase } from '@cad/db/testing';
import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * The tester's outage, scaled down (ack limit 4 s, outage 9 s, grace 6 s): the whole system (API
 * and in-process workers) is killed just after a dispatch, while a crew's acknowledgement stamped
 * 1 s after the dispatch waits on its phone. After the restart the acknowledgement deadline, long
 * overdue, is held for the grace; the phone's stamped report arrives and wins: the task stays with
 * the crew, no unit goes out of service, no replacement is sent. Its hostile twin: a crew that
 * never acknowledged loses its task once the grace is over.
 */
describe('the API killed while a crew’s stamped acknowledgement waits on its phone', () => {
  const env = {
    ACK_TIMEOUT_S: '4',
    RECONCILE_INTERVAL_S: '1',
    OUTAGE_HEARTBEAT_S: '0.5',
    OUTAGE_GAP_S: '1.5',
    OUTAGE_GRACE_S: '6',
    SILENT_UNIT_LIMIT: '50',
    REDIS_PREFIX: `cadtest:${process.env.CAD_TEST_RUN}:outage-all:${process.pid}`,
  };
  let databaseUrl: string;
  let t: TestApp;
  beforeAll(async () => {
    databaseUrl = await cloneTestDatabase('outage-all');
    t = await startTestApp('outage-all', env, { databaseUrl });
  });
  afterAll(async () => {
    await t.close();
  });

  const view = async (id: string) => (await t.request('GET', `/api/incidents/${id}`)).body;

  it('keeps the task with the crew after the restart: no unit out of service, no replacement; a silent crew loses its task after the grace', async () => {
    const acked = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 })).body.id);
    const silent = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7800, lon: -122.4150 })).body.id);
    const tasks: { id: string; unitId: string; dispatchedAt: string }[] = acked.assignments;
    expect(tasks.length).toBeGreaterThan(0);
    // Each crew acknowledged 1 s after its dispatch, on a phone that could not reach CAD.
    const stamped = tasks.map((a) => ({ ...a, at: new Date(new Date(a.dispatchedAt).getTime() + 1000).toISOString() }));

    await t.close(); // killed: no heartbeat, no worker, no API
    await new Promise((r) => setTimeout(r, 9000));
    t = await startTestApp('outage-all', env, { databaseUrl });

    // The overdue deadlines are held: nothing taken back before the phones report.
    await new Promise((r) => setTimeout(r, 1500));
    for (const a of stamped) {
      const r = await deviceRequest(t, { id: `phone-${a.unitId}`, clockAheadMs: 0 }, 'PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: a.at, reportId: `ack-${a.id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged', releasedReason: null } });
    }

    // Past the grace: the silent crew's task is taken back, the acknowledged ones stay.
    await waitFor(async () => {
      const v = await view(silent.id);
      return v.assignments.some((a: { replacesId: string | null }) => a.replacesId) ? v : null;
    }, 20000, 'the silent crew’s task taken back and replaced after the grace');
    const after = await view(acked.id);
    for (const a of after.assignments) expect(a).toMatchObject({ status: 'acknowledged', releasedReason: null, replacesId: null });
    expect(after.assignments).toHaveLength(tasks.length);
    expect(after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([]);
    const units: { status: string }[] = await t.ds.query(`SELECT status FROM unit WHERE id = ANY($1)`, [tasks.map((a) => a.unitId)]);
    expect(units.map((u) => u.status)).toEqual(tasks.map(() => 'dispatched'));
    const deadlines: { state: string }[] = await t.ds.query(`SELECT state FROM deadline WHERE incident_id = $1 AND kind = 'ack'`, [acked.id]);
    expect(deadlines.map((d) => d.state)).toEqual(tasks.map(() => 'cancelled'));

    // The silent crew's deadline waited the grace after the restart, not the outage.
    // With these scaled-down settings (beats every 0.5 s, a gap of 1.5 s) a machine loaded enough to
    // stall the event loop for seconds also records short outages; the kill is the one of over 8 s.
    const outages: { endedAt: string | null; seconds: number }[] = (await t.request('GET', '/api/outages')).body;
    const kill = outages.filter((o) => o.seconds > 8);
    expect(kill).toHaveLength(1);
    expect(kill[0].endedAt).not.toBeNull();
    const [fired]: { fired_at: Date }[] = await t.ds.query(`SELECT fired_at FROM deadline WHERE incident_id = $1 AND kind = 'ack' AND state = 'fired' LIMIT 1`, [silent.id]);
    expect(fired.fired_at.getTime()).toBeGreaterThanOrEqual(new Date(kill[0].endedAt!).getTime() + 6000 - 50);
  });

  it('applies a report sent twice with one reportId once, and answers the repeat as the first', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.4350 })).body.id);
    const a = incident.assignments[0];
    // Steps go in order (issue 26): acknowledged before en route.
    expect((await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' })).status).toBe(200);
    const body = { status: 'en_route', reportId: `enr-${a.id}` };
    const first = await t.request('PATCH', `/api/assignments/${a.id}`, body);
    expect(first.status).toBe(200);
    expect(first.body.applied).toBe(true);
    const again = await t.request('PATCH', `/api/assignments/${a.id}`, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: true, repeated: true, assignment: { status: 'en_route' } });
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body.filter(
      (e: { type: string; payload: { assignment?: { id: string; status: string } } }) => e.type === 'assignment.updated' && e.payload.assignment?.id === a.id && e.payload.assignment?.status === 'en_route',
    );
    expect(events).toHaveLength(1);
    // The same id from another unit is that unit's own report (ids are per unit), and names no other task;
    // the same unit reusing an id for another status is refused naming the field.
    const other = incident.assignments[1];
    if (other) {
      const own = await t.request('PATCH', `/api/assignments/${other.id}`, { status: 'acknowledged', reportId: body.reportId });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ applied: true, assignment: { id: other.id, status: 'acknowledged' } });
      expect(JSON.stringify(own.body)).not.toContain(a.id);
    }
    const clash = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'on_scene', reportId: body.reportId });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('reportId');
    const bad = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'on_scene', reportId: 'x'.repeat(81) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('reportId');
  });
});
