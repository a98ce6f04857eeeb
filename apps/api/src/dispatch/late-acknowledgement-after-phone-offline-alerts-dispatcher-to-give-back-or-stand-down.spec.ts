import { deviceRequest } from '../testing/device-request';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * The hostile tester's script (ack-phone-offline.sh), scaled down: the crew's phone is offline after the
 * dispatch; the crew taps acknowledged and en route, the phone keeps both in its outbox with their tap
 * times and sends them only after the acknowledgement timer took the task back (the script: taps at
 * +10 / +20 s, timer 60 + 60 s, sent at +130 s; here: taps at +1 / +1.5 s, timer 2 + 2 s, sent once a
 * replacement is out). The late reports are not applied over the timer's decision: the dispatcher is
 * alerted (`assignment.late_ack`, `GET /api/late-ack-alerts`) with the unit, incident, tap time and what
 * the crew says it is doing, and the unit stays out of service held for that answer (`late_report:<task>`).
 * The answer gives the task back (the replacement that has not left is recalled) or stands the crew down.
 * Hostile twins: a late-stamped report on a task not taken back is applied as before; a late report on a
 * task the dispatcher cancelled raises no alert.
 */
describe('a crew that acknowledged while its phone was offline, its reports arriving after the timer took the task back', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('late-ack', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '60', SILENT_UNIT_LIMIT: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  type Task = { id: string; unitId: string; capability: string; status: string; releasedReason: string | null; replacesId: string | null; dispatchedAt: string };
  const view = async (id: string): Promise<{ status: string; assignments: Task[] }> => (await t.request('GET', `/api/incidents/${id}`)).body;
  const unitRow = async (unitId: string) => (await t.ds.query(`SELECT status, out_of_service_by FROM unit WHERE world = 'live' AND id = $1`, [unitId]))[0] as { status: string; out_of_service_by: string | null };
  const eventsOf = async (incidentId: string, type: string) => ((await t.request('GET', `/api/incidents/${incidentId}/events`)).body as { type: string; payload: any }[]).filter((e) => e.type === type);
  const phone = (unitId: string) => ({ id: `phone-${unitId}`, clockAheadMs: 0 });
  const report = (task: Task, status: string, afterS: number) =>
    deviceRequest(t, phone(task.unitId), 'PATCH', `/api/assignments/${task.id}`, { status, at: new Date(Date.parse(task.dispatchedAt) + afterS * 1000).toISOString(), reportId: `${status}-${task.id}` });

  /**
   * A P1 medical call: the ambulance acknowledges at once, the engine's phone is offline. Waits until the
   * timer took the engine's task back and a replacement engine was sent, and acknowledges the replacement
   * (it has not left yet). Answers the incident, the silent task and the replacement.
   */
  async function engineTakenBack(lat: number, lon: number): Promise<{ incidentId: string; silent: Task; replacement: Task }> {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat, lon })).body.id);
    const silent: Task = incident.assignments.find((a: Task) => a.capability === 'engine');
    for (const a of incident.assignments as Task[]) if (a.id !== silent.id) expect((await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' })).status).toBe(200);
    const replacement = await waitFor(async () => (await view(incident.id)).assignments.find((a) => a.replacesId === silent.id) ?? null, 20000, 'a replacement engine');
    expect((await t.request('PATCH', `/api/assignments/${replacement.id}`, { status: 'acknowledged' })).status).toBe(200);
    expect((await view(incident.id)).assignments.find((a) => a.id === silent.id)).toMatchObject({ status: 'cleared', releasedReason: 'not_acknowledged' });
    expect(await unitRow(silent.unitId)).toMatchObject({ status: 'out_of_service', out_of_service_by: expect.stringMatching(/^timer:/) });
    return { incidentId: incident.id, silent, replacement: { ...replacement, status: 'acknowledged' } };
  }

  /** The outbox flush: acknowledged (+1 s) and en route (+1.5 s), each recorded, not applied, and the dispatcher alerted. */
  async function outboxFlushed(silent: Task): Promise<void> {
    for (const [status, s] of [['acknowledged', 1], ['en_route', 1.5]] as const) {
      const r = await report(silent, status, s);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: false, assignment: { status: 'cleared' }, lateAck: { dispatcherAlerted: true, takenBackAt: expect.any(String) } });
    }
  }

  it('alerts the dispatcher with the unit, incident, tap time and what the crew is doing; giving the task back makes it en route and recalls the replacement not yet left', async () => {
    const { incidentId, silent, replacement } = await engineTakenBack(37.7935, -122.4045);
    await outboxFlushed(silent);

    // Not applied over the timer's decision: the task stays taken back, the unit out of service, held for the dispatcher.
    expect((await view(incidentId)).assignments.find((a) => a.id === silent.id)).toMatchObject({ status: 'cleared', releasedReason: 'not_acknowledged' });
    expect(await unitRow(silent.unitId)).toEqual({ status: 'out_of_service', out_of_service_by: `late_report:${silent.id}` });
    const held = await eventsOf(incidentId, 'unit.status');
    expect(held.filter((e) => e.payload.reason === 'late_report')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ unitId: silent.unitId, status: 'out_of_service' }) })]);
    expect(await eventsOf(incidentId, 'assignment.late_report')).toHaveLength(2);

    const enRouteAt = new Date(Date.parse(silent.dispatchedAt) + 1500).toISOString();
    const expected = {
      incidentId,
      assignmentId: silent.id,
      unitId: silent.unitId,
      reported: 'en_route',
      reportedAt: enRouteAt,
      steps: [
        { status: 'acknowledged', at: new Date(Date.parse(silent.dispatchedAt) + 1000).toISOString() },
        { status: 'en_route', at: enRouteAt },
      ],
      replacements: [{ unitId: replacement.unitId, assignmentId: replacement.id, status: 'acknowledged' }],
    };
    const raised = await eventsOf(incidentId, 'assignment.late_ack');
    expect(raised).toHaveLength(2);
    expect(raised[1].payload).toMatchObject(expected);
    const alerts = (await t.request('GET', '/api/late-ack-alerts')).body;
    expect(alerts.filter((a: { assignmentId: string }) => a.assignmentId === silent.id)).toEqual([expect.objectContaining(expected)]);

    const given = await t.request('POST', `/api/assignments/${silent.id}/give-back`);
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ decision: 'given_back', recalled: [replacement.unitId], kept: [] });
    const after = await view(incidentId);
    expect(after.assignments.find((a) => a.id === silent.id)).toMatchObject({ status: 'en_route', releasedReason: null, enRouteAt });
    expect(after.assignments.find((a) => a.id === replacement.id)).toMatchObject({ status: 'cleared', releasedReason: 'recalled' });
    expect(after.status).toBe('en_route');
    expect(await unitRow(silent.unitId)).toEqual({ status: 'en_route', out_of_service_by: null });
    expect((await unitRow(replacement.unitId)).status).toBe('available');
    expect((await t.request('GET', '/api/late-ack-alerts')).body.filter((a: { assignmentId: string }) => a.assignmentId === silent.id)).toEqual([]);
    expect((await eventsOf(incidentId, 'assignment.late_ack_decided')).map((e) => e.payload)).toEqual([expect.objectContaining({ decision: 'given_back', unitId: silent.unitId })]);
    const messages = (await t.request('GET', `/api/units/${silent.unitId}/messages`)).body;
    expect(messages.map((m: { text: string }) => m.text)).toContainEqual(expect.stringContaining('gave your task back'));
    // Answered once: a second answer is refused.
    expect((await t.request('POST', `/api/assignments/${silent.id}/stand-down`)).status).toBe(409);
    // The crew carries on from its own status.
    expect((await deviceRequest(t, phone(silent.unitId), 'PATCH', `/api/assignments/${silent.id}`, { status: 'on_scene', reportId: `on-${silent.id}` })).body).toMatchObject({ applied: true });
  }, 60000);

  it('keeping the replacement stands the crew down: the task stays taken back, the unit is available and its phone told', async () => {
    const { incidentId, silent, replacement } = await engineTakenBack(37.7975, -122.435);
    await outboxFlushed(silent);
    const stood = await t.request('POST', `/api/assignments/${silent.id}/stand-down`);
    expect(stood.status).toBe(200);
    expect(stood.body).toMatchObject({ decision: 'stood_down', recalled: [], kept: [replacement.unitId] });
    const after = await view(incidentId);
    expect(after.assignments.find((a) => a.id === silent.id)).toMatchObject({ status: 'cleared', releasedReason: 'not_acknowledged' });
    expect(after.assignments.find((a) => a.id === replacement.id)).toMatchObject({ status: 'acknowledged', releasedReason: null });
    expect(await unitRow(silent.unitId)).toMatchObject({ out_of_service_by: null });
    expect((await unitRow(silent.unitId)).status).not.toBe('out_of_service');
    const messages = (await t.request('GET', `/api/units/${silent.unitId}/messages`)).body;
    expect(messages.map((m: { text: string }) => m.text)).toContainEqual(expect.stringContaining('Stand down'));
    expect((await t.request('POST', `/api/assignments/${silent.id}/give-back`)).status).toBe(409);
  }, 60000);

  it('hostile twin: a report stamped earlier on a task not taken back is applied as before, with no alert', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.78, lon: -122.415 })).body.id);
    for (const a of incident.assignments as Task[]) {
      const r = await report(a, 'acknowledged', 0);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: true, assignment: { status: 'acknowledged' } });
      expect(r.body.lateAck).toBeUndefined();
    }
    expect(await eventsOf(incident.id, 'assignment.late_ack')).toEqual([]);
  });

  it('hostile twin: a late report on a task the dispatcher cancelled (not the timer) raises no alert', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7890, lon: -122.4010 })).body.id);
    expect((await t.request('POST', `/api/incidents/${incident.id}/cancel`, {})).status).toBe(200);
    for (const a of incident.assignments as Task[]) {
      const r = await report(a, 'acknowledged', 0);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ applied: false, assignment: { status: 'cleared' } });
      expect(r.body.lateAck).toBeUndefined();
      expect((await unitRow(a.unitId)).out_of_service_by ?? '').not.toMatch(/^late_report:/);
    }
    expect(await eventsOf(incident.id, 'assignment.late_ack')).toEqual([]);
  });
});
