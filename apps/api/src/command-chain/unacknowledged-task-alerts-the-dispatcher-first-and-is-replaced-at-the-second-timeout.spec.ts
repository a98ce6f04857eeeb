import { waitFor } from '@cad/db/testing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * The acknowledgement policy (`ACK_POLICY=alert-first`, the default): a task not acknowledged at its
 * first timeout alerts the dispatcher (`assignment.ack_overdue`, `GET /api/ack-alerts`) and stays with
 * its unit; a late acknowledgement still counts. The dispatcher pages again, replaces, or takes the
 * unit out of service; with no answer, the second timeout replaces the unit and escalates the incident.
 */
describe('a task not acknowledged at its first timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('ackalert', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '60', SILENT_UNIT_LIMIT: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  const view = async (id: string): Promise<any> => (await t.request('GET', `/api/incidents/${id}`)).body;
  const unitStatus = async (unitId: string) => (await t.ds.query(`SELECT status, out_of_service_by FROM unit WHERE world = 'live' AND id = $1`, [unitId]))[0];
  const eventsOf = async (incidentId: string, type: string): Promise<any[]> =>
    (await t.ds.query(`SELECT actor, unit_id, payload FROM incident_event WHERE incident_id = $1 AND type = $2 ORDER BY seq`, [incidentId, type])).map((r: any) => ({ actor: r.actor, unitId: r.unit_id, ...r.payload }));
  /** A one-engine call with its single task, left silent (the streets of the second and fourth tests' points have an engine of their own, so the street commands and can escalate). */
  async function silentEngine(lat: number, lon: number) {
    const call = await t.request('POST', '/api/calls', { type: 'Ack Policy Test', priority: 3, lat, lon });
    const incident = await t.incidentOf(call.body.id);
    return { incident, task: incident.assignments[0] as { id: string; unitId: string } };
  }
  const alerted = (incidentId: string, n = 1) => waitFor(async () => ((await eventsOf(incidentId, 'assignment.ack_overdue')).length >= n ? true : null), 15000, 'the dispatcher alerted');

  beforeAll(async () => {
    expect((await t.request('PUT', '/api/response-plans/Ack Policy Test', { slots: { engine: 1 }, commandingTier: 'street' })).status).toBe(200);
  });

  it('alerts the dispatcher and keeps the task with its unit; a late acknowledgement still counts and ends the alert', async () => {
    const { incident, task } = await silentEngine(37.7975, -122.435);
    await alerted(incident.id);
    const [alert] = await eventsOf(incident.id, 'assignment.ack_overdue');
    expect(alert).toMatchObject({ assignmentId: task.id, unitId: task.unitId, timeoutS: 2, actor: 'timer:queue' });
    expect(Date.parse(alert.replaceAt) - Date.parse(alert.alertedAt)).toBe(2000);
    // Not out of service, not escalated, not replaced: the dispatcher decides.
    const v = await view(incident.id);
    expect(v.assignments).toEqual([expect.objectContaining({ id: task.id, status: 'dispatched', releasedReason: null })]);
    expect((await unitStatus(task.unitId)).status).toBe('dispatched');
    expect(v.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([]);
    expect((await t.request('GET', '/api/ack-alerts')).body).toEqual([expect.objectContaining({ assignmentId: task.id, unitId: task.unitId, incidentId: incident.id })]);

    expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'acknowledged' })).status).toBe(200);
    expect((await t.request('GET', '/api/ack-alerts')).body).toEqual([]);
    // The second timeout passes and changes nothing.
    await new Promise((r) => setTimeout(r, 3000));
    await t.settle();
    expect((await view(incident.id)).assignments).toEqual([expect.objectContaining({ id: task.id, status: 'acknowledged' })]);
    expect((await t.ds.query(`SELECT state FROM deadline WHERE assignment_id = $1 AND kind = 'ack_final'`, [task.id])).map((r: any) => r.state)).toEqual(['cancelled']);
  });

  it('with no answer, the second timeout takes the unit out of service, escalates once and sends another unit', async () => {
    const { incident, task } = await silentEngine(37.789, -122.401);
    const after = await waitFor(async () => {
      const v = await view(incident.id);
      return v.assignments.some((a: { id: string }) => a.id !== task.id) ? v : null;
    }, 20000, 'a replacement engine');
    for (const a of after.assignments) if (a.id !== task.id) await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
    expect(after.assignments.find((a: { id: string }) => a.id === task.id)).toMatchObject({ status: 'cleared', releasedReason: 'not_acknowledged' });
    expect(await unitStatus(task.unitId)).toEqual({ status: 'out_of_service', out_of_service_by: 'timer:queue' });
    expect(after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([expect.objectContaining({ actor: 'timer:queue', fromTier: 'street' })]);
    // One alert before it, at the first timeout.
    expect(await eventsOf(incident.id, 'assignment.ack_overdue')).toHaveLength(1);
    expect((await t.request('PATCH', `/api/units/${task.unitId}`, { status: 'available' })).status).toBe(200);
  });

  it('paged again: the timer starts over (the phone is told) and a second alert follows if still silent', async () => {
    const { incident, task } = await silentEngine(37.7935, -122.4045);
    await alerted(incident.id);
    const page = await t.request('POST', `/api/assignments/${task.id}/repage`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ assignmentId: task.id, unitId: task.unitId });
    expect((await t.request('GET', '/api/ack-alerts')).body).toEqual([]);
    const [repaged] = await eventsOf(incident.id, 'assignment.repaged');
    expect(repaged).toMatchObject({ unitId: task.unitId, by: 'commander' });
    await alerted(incident.id, 2);
    // Still the same unit, never taken out of service by the re-page.
    expect((await view(incident.id)).assignments).toEqual([expect.objectContaining({ id: task.id, status: 'dispatched' })]);
    expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'acknowledged' })).status).toBe(200);
    // Paging an acknowledged task is refused, naming its status.
    const again = await t.request('POST', `/api/assignments/${task.id}/repage`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('acknowledged');
  });

  it('replaced by hand: out of service by the dispatcher, escalated one tier, another unit sent', async () => {
    const { incident, task } = await silentEngine(37.7800, -122.4150);
    await alerted(incident.id);
    const r = await t.request('POST', `/api/assignments/${task.id}/replace`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ releasedUnitId: task.unitId, escalated: true });
    const v = await view(incident.id);
    const fresh = v.assignments.filter((a: { id: string; status: string }) => a.id !== task.id && a.status !== 'cleared');
    expect(fresh).toHaveLength(1);
    expect(fresh[0].unitId).not.toBe(task.unitId);
    expect(await unitStatus(task.unitId)).toEqual({ status: 'out_of_service', out_of_service_by: 'commander' });
    expect(v.escalations).toEqual([expect.objectContaining({ reason: 'not_acknowledged', actor: 'commander', fromTier: 'street' })]);
    // Twice: refused, the task is no longer waiting.
    expect((await t.request('POST', `/api/assignments/${task.id}/replace`)).status).toBe(409);
    await t.request('PATCH', `/api/assignments/${fresh[0].id}`, { status: 'acknowledged' });
    await t.request('PATCH', `/api/units/${task.unitId}`, { status: 'available' });
  });

  it('taken out of service: another unit from the same tier, the incident keeps its tier', async () => {
    const { incident, task } = await silentEngine(37.7850, -122.4090);
    await alerted(incident.id);
    const r = await t.request('POST', `/api/assignments/${task.id}/out-of-service`);
    expect(r.status).toBe(200);
    expect(r.body.releasedUnitId).toBe(task.unitId);
    const v = await view(incident.id);
    expect(v.commandingTier).toBe(incident.commandingTier);
    expect(v.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged')).toEqual([]);
    expect(v.assignments.filter((a: { id: string; status: string }) => a.id !== task.id && a.status !== 'cleared')).toHaveLength(1);
    expect(await unitStatus(task.unitId)).toEqual({ status: 'out_of_service', out_of_service_by: 'commander' });
    // The unit's late acknowledgement is refused (its task was taken back).
    expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'acknowledged' })).status).toBe(409);
    await t.request('PATCH', `/api/units/${task.unitId}`, { status: 'available' });
  });

  it('refuses the actions to observers and crews, and a malformed or unknown task', async () => {
    const { incident, task } = await silentEngine(37.7750, -122.4190);
    const observer = await t.signIn('observer');
    for (const action of ['repage', 'replace', 'out-of-service']) {
      expect((await t.request('POST', `/api/assignments/${task.id}/${action}`, undefined, observer)).status).toBe(403);
      expect((await t.request('POST', `/api/assignments/${task.id}/${action}`, undefined, await t.signIn(task.unitId.toLowerCase()))).status).toBe(403);
    }
    const bad = await t.request('POST', '/api/assignments/not-a-uuid/repage');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('assignment');
    expect((await t.request('POST', '/api/assignments/00000000-0000-4000-8000-000000000000/replace')).status).toBe(404);
    // The refused actions changed nothing: no re-page, and no replacement or out-of-service by either account.
    // (The task's own 2 s timers may have run meanwhile on a slow machine: they act as 'timer:queue', never as these accounts.)
    expect(await eventsOf(incident.id, 'assignment.repaged')).toEqual([]);
    const actors: { actor: string }[] = await t.ds.query(`SELECT DISTINCT actor FROM incident_event WHERE incident_id = $1`, [incident.id]);
    expect(actors.map((a) => a.actor)).not.toContain('observer');
    expect(actors.map((a) => a.actor)).not.toContain(task.unitId.toLowerCase());
    expect((await unitStatus(task.unitId)).out_of_service_by ?? 'timer:queue').toBe('timer:queue');
    await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'acknowledged' });
  });
});
