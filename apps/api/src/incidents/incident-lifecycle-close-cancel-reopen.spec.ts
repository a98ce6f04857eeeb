import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Incident and task state machines through the API: forbidden transitions answer 409 naming the
 * current state; a report older than the status in force is recorded, not applied; cancelling frees
 * units; a closed incident reopened is held until a dispatcher confirms, then dispatched again with fresh timers.
 */
describe('incident lifecycle: close, cancel, reopen, late reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('lifecycle');
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes only when every unit has cleared, and reopens with a fresh dispatch and fresh timers', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7930, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const early = await t.request('POST', `/api/incidents/${incident.id}/close`, { dispositionCode: 'TREATED-RELEASED', disposition: 'done' });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('still assigned');

    const t0 = Date.now();
    for (const [k, status] of (['acknowledged', 'en_route', 'on_scene', 'cleared'] as const).entries()) {
      for (const a of incident.assignments) {
        const r = await t.request('PATCH', `/api/assignments/${a.id}`, { status, at: new Date(t0 + (k + 1) * 1000).toISOString() });
        expect(r.status).toBe(200);
      }
    }
    const resolved = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(resolved.status).toBe('resolved');
    const closed = await t.request('POST', `/api/incidents/${incident.id}/close`, { dispositionCode: 'TREATED-RELEASED', disposition: 'patient treated on scene' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', disposition: 'TREATED-RELEASED: patient treated on scene' });
    const revisionClosed = closed.body.revision;

    const cancelClosed = await t.request('POST', `/api/incidents/${incident.id}/cancel`, {});
    expect(cancelClosed.status).toBe(409);
    expect(cancelClosed.body.message).toBe('incident cannot go from closed to cancelled');

    const reopened = await t.request('POST', `/api/incidents/${incident.id}/reopen`);
    expect(reopened.status).toBe(200);
    // A reopened incident asks before dispatching: nothing is sent until a dispatcher confirms.
    expect((await t.request('POST', `/api/incidents/${incident.id}/confirm-dispatch`)).status).toBe(200);
    await t.settle();
    const again = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(again.status).toBe('dispatched');
    expect(again.revision).toBeGreaterThan(revisionClosed);
    const active = again.assignments.filter((a: any) => a.status === 'dispatched');
    expect(active.length).toBeGreaterThan(0);
    const fresh = await t.ds.query(`SELECT assignment_id, revision, state FROM deadline WHERE incident_id = $1 AND state = 'pending'`, [incident.id]);
    expect(fresh.map((d: any) => d.assignment_id).sort()).toEqual(active.map((a: any) => a.id).sort());
    expect(fresh.every((d: any) => d.revision > revisionClosed)).toBe(true);
  });

  it('applies a step forward from a phone whose clock runs slow, at the time of the status in force, and refuses a day-old report', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.8010, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const dispatchedAt = Date.parse(a.dispatchedAt);
    // The phone's clock is 30 s slow: its acknowledgement is stamped before the dispatch.
    const slow = new Date(dispatchedAt - 30_000).toISOString();
    const ack = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged', at: slow });
    expect(ack.status).toBe(200);
    expect(ack.body.applied).toBe(true);
    expect(ack.body.assignment.status).toBe('acknowledged');
    expect(Date.parse(ack.body.assignment.acknowledgedAt)).toBe(dispatchedAt);
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    const updated = events.filter((e: any) => e.type === 'assignment.updated' && e.payload.assignment.id === a.id && e.payload.assignment.status === 'acknowledged');
    expect(updated).toHaveLength(1);
    expect(updated[0].payload.reportedAt).toBe(slow);
    // Nothing waits on a silent crew any more: its acknowledgement deadline is cancelled.
    const [deadline] = await t.ds.query(`SELECT state FROM deadline WHERE assignment_id = $1`, [a.id]);
    expect(deadline.state).toBe('cancelled');
    // A report stamped a day ago is refused, naming the field.
    const old = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'en_route', at: '1970-01-01T00:00:00Z' });
    expect(old.status).toBe(400);
    expect(old.body.message).toMatch(/^at \(1970-01-01T00:00:00Z\) is more than 24 hours old/);
    expect((await t.request('GET', `/api/incidents/${incident.id}`)).body.assignments.find((x: any) => x.id === a.id).status).toBe('acknowledged');
  });

  it('records a task status older than the one in force without overwriting it, and refuses a forbidden step with 409', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7990, lon: -122.4080 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    const now = Date.now();
    expect((await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'on_scene', at: new Date(now + 60_000).toISOString() })).status).toBe(200);
    // The phone was offline: its en-route report (older) arrives after on scene.
    const late = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'en_route', at: new Date(now + 30_000).toISOString() });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ applied: false, assignment: { status: 'on_scene' } });
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    expect(events.find((e: any) => e.type === 'assignment.late_report').payload).toMatchObject({ reported: 'en_route', current: 'on_scene' });
    // On scene -> at hospital skips transporting: 409 naming the current status.
    const skip = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'at_hospital', at: new Date(now + 90_000).toISOString() });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toBe('assignment cannot go from on_scene to at_hospital');
    const bad = await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'flying' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('status must be one of');
  });

  it('cancelling frees every unit; a unit with a task cannot go out of service', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7870, lon: -122.4230 });
    const incident = await t.incidentOf(call.body.id);
    const unitId = incident.assignments[0].unitId;
    const oos = await t.request('PATCH', `/api/units/${unitId}`, { status: 'out_of_service' });
    expect(oos.status).toBe(409);
    const task = await t.request('GET', `/api/units/${unitId}/assignment`);
    expect(task.body.incident.id).toBe(incident.id);
    const cancelled = await t.request('POST', `/api/incidents/${incident.id}/cancel`, { disposition: 'false alarm' });
    expect(cancelled.body.status).toBe('cancelled');
    const units = await t.ds.query(`SELECT status FROM unit WHERE id = ANY($1)`, [incident.assignments.map((a: any) => a.unitId)]);
    expect(units.every((u: any) => u.status === 'available')).toBe(true);
    expect((await t.request('GET', `/api/units/${unitId}/assignment`)).status).toBe(204);
    const out = await t.request('PATCH', `/api/units/${unitId}`, { status: 'out_of_service' });
    expect(out.body.status).toBe('out_of_service');
    // An out-of-service unit is never dispatched.
    const next = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7870, lon: -122.4231, callNumber: 'after-oos' });
    const second = await t.incidentOf(next.body.id);
    expect(second.id).not.toBe(incident.id);
    expect(second.assignments.map((a: any) => a.unitId)).not.toContain(unitId);
  });

  it('a cancel made by mistake is undone by reopening and confirming: the incident is dispatched afresh', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 2, lat: 37.7950, lon: -122.4000, callNumber: 'mistaken-cancel' });
    const incident = await t.incidentOf(call.body.id);
    expect((await t.request('POST', `/api/incidents/${incident.id}/cancel`, { disposition: 'pressed X by mistake' })).body.status).toBe('cancelled');
    const reopened = await t.request('POST', `/api/incidents/${incident.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect((await t.request('POST', `/api/incidents/${incident.id}/confirm-dispatch`)).status).toBe(200);
    const again = await t.incidentOf(call.body.id);
    expect(again.id).toBe(incident.id);
    expect(again.status).not.toBe('cancelled');
    expect(again.assignments.filter((a: any) => a.status !== 'cleared')).toHaveLength(1);
    expect(again.disposition).toBeNull();
  });
});
