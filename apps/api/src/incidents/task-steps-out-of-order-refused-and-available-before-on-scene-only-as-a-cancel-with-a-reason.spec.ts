import { TASK_ORDER_RULE } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Issue 26 part 6: a task's steps go in order on the server too (acknowledged, en route, on scene,
 * (transporting, at hospital), available). Available straight after acknowledge is refused with 409
 * naming the rule, unless it is a cancel with a reason from the list, which is recorded on the task and
 * in its event. A cancel reason anywhere else is refused; an unknown one is a 400 naming the field.
 */
describe('task steps out of order are refused; available before on scene only as a cancel with a reason', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('task_steps_in_order');
  });
  afterAll(async () => {
    await t.close();
  });

  const patch = (id: string, body: Record<string, unknown>) => t.request('PATCH', `/api/assignments/${id}`, body);
  const taskOf = async (incidentId: string, id: string) => (await t.request('GET', `/api/incidents/${incidentId}`)).body.assignments.find((x: any) => x.id === id);

  it('refuses available straight after acknowledge, and on scene before en route, naming the rule and changing nothing', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.7930, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    // En route straight from dispatched is refused; the drill's acknowledge-on-turnout is not a field a client may send.
    expect((await patch(a.id, { status: 'en_route' })).status).toBe(409);
    const sneaky = await patch(a.id, { status: 'en_route', acknowledgeOnTurnout: true });
    expect(sneaky.status).toBe(400);
    expect(JSON.stringify(sneaky.body.message)).toContain('acknowledgeOnTurnout');
    expect((await patch(a.id, { status: 'acknowledged' })).status).toBe(200);

    const early = await patch(a.id, { status: 'cleared' });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe(`assignment cannot go from acknowledged to cleared: ${TASK_ORDER_RULE}`);
    const skip = await patch(a.id, { status: 'on_scene' });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toContain(TASK_ORDER_RULE);
    expect((await taskOf(incident.id, a.id)).status).toBe('acknowledged');
    const [unit] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit.status).toBe('dispatched');

    // In order, it goes through, and available is plain once on scene.
    for (const status of ['en_route', 'on_scene', 'cleared']) expect((await patch(a.id, { status })).status).toBe(200);
    const done = await taskOf(incident.id, a.id);
    expect(done).toMatchObject({ status: 'cleared', cancelReason: null });
  });

  it('takes available before on scene as a cancel with a reason from the list, recorded on the task and in its event', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.8010, lon: -122.4190 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments[0];
    expect((await patch(a.id, { status: 'acknowledged' })).status).toBe(200);

    const unknown = await patch(a.id, { status: 'cleared', cancelReason: 'bored' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.message)).toContain('cancelReason must be one of: cancelled_by_dispatch, not_needed');

    const cancel = await patch(a.id, { status: 'cleared', cancelReason: 'not_needed' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ applied: true, assignment: { status: 'cleared', cancelReason: 'not_needed' } });
    expect(await taskOf(incident.id, a.id)).toMatchObject({ status: 'cleared', cancelReason: 'not_needed' });
    const [unit] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = $1`, [a.unitId]);
    expect(unit.status).toBe('available');
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body;
    const cleared = events.find((e: any) => e.type === 'assignment.updated' && e.payload.assignment.id === a.id && e.payload.assignment.status === 'cleared');
    expect(cleared.payload.assignment.cancelReason).toBe('not_needed');
  });

  it('refuses a cancel reason once on scene, and available from transporting before at hospital', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7990, lon: -122.4080 });
    const incident = await t.incidentOf(call.body.id);
    const a = incident.assignments.find((x: any) => x.capability === 'ambulance' || x.capability === 'als') ?? incident.assignments[0];
    for (const status of ['acknowledged', 'en_route', 'on_scene']) expect((await patch(a.id, { status })).status).toBe(200);
    const late = await patch(a.id, { status: 'cleared', cancelReason: 'not_needed' });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('a cancelReason is only for available (cleared) before on scene');
    expect((await patch(a.id, { status: 'transporting' })).status).toBe(200);
    const skip = await patch(a.id, { status: 'cleared' });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toBe(`assignment cannot go from transporting to cleared: ${TASK_ORDER_RULE}`);
    for (const status of ['at_hospital', 'cleared']) expect((await patch(a.id, { status })).status).toBe(200);
  });
});
