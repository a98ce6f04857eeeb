import { waitFor } from '@cad/db/testing';
import { MAX_REPLACEMENTS } from './deadlines.service';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A unit that does not acknowledge its task is replaced at the second timeout (the first alerts the
 * dispatcher, see the alert-first spec beside this one): its task is taken
 * back (`releasedReason: not_acknowledged`), the unit goes out of service until a dispatcher reaches
 * it, the incident escalates one tier once per round (not once per silent unit), and another unit
 * fills the slot. When the phones are down, at most MAX_REPLACEMENTS units are burnt per slot.
 */
describe('an unacknowledged task', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('unacked', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '60', SILENT_UNIT_LIMIT: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  const view = async (id: string): Promise<any> => (await t.request('GET', `/api/incidents/${id}`)).body;
  const unitStatus = async (unitId: string) => (await t.ds.query(`SELECT status FROM unit WHERE id = $1`, [unitId]))[0].status as string;
  const ackAll = async (id: string) => {
    for (const a of (await view(id)).assignments) if (a.status === 'dispatched') await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'acknowledged' });
  };

  it('is taken back and another unit of the same capability fills its slot; the acknowledged task stays', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    const incident = await t.incidentOf(call.body.id);
    expect(incident.assignments.map((a: { capability: string }) => a.capability).sort()).toEqual(['ambulance', 'engine']);
    const engine = incident.assignments.find((a: { capability: string }) => a.capability === 'engine');
    const silent = incident.assignments.find((a: { capability: string }) => a.capability === 'ambulance');
    expect((await t.request('PATCH', `/api/assignments/${engine.id}`, { status: 'acknowledged' })).status).toBe(200);

    const after = await waitFor(async () => {
      const v = await view(incident.id);
      return v.assignments.some((a: { capability: string; id: string }) => a.capability === 'ambulance' && a.id !== silent.id) ? v : null;
    }, 15000, 'a replacement ambulance');
    await ackAll(incident.id);
    const released = after.assignments.find((a: { id: string }) => a.id === silent.id);
    expect(released).toMatchObject({ status: 'cleared', releasedReason: 'not_acknowledged' });
    const replacement = after.assignments.find((a: { capability: string; id: string }) => a.capability === 'ambulance' && a.id !== silent.id);
    expect(replacement.unitId).not.toBe(silent.unitId);
    expect(replacement.replacesId).toBe(silent.id);
    // The replacement's reason is coded, with the unit and task it replaces in their own fields (the console words them).
    const requested = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.resources_requested'`, [incident.id]);
    expect(requested.map((e: { payload: unknown }) => e.payload)).toEqual([
      expect.objectContaining({ reason: 'not_acknowledged', replacesUnitId: silent.unitId, replacesAssignmentId: silent.id, requested: ['ambulance'] }),
    ]);
    expect(after.assignments.find((a: { id: string }) => a.id === engine.id)).toMatchObject({ status: 'acknowledged', releasedReason: null });
    expect(after.status).toBe('dispatched');
    expect(await unitStatus(silent.unitId)).toBe('out_of_service');
    const timerSteps = after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged');
    expect(timerSteps).toHaveLength(1);
    expect(timerSteps[0]).toMatchObject({ fromTier: incident.commandingTier, actor: 'timer:queue' });
    expect(timerSteps[0].detail).toContain(silent.unitId);

    // The silent crew answers late: told why, and nothing changes.
    const late = await t.request('PATCH', `/api/assignments/${silent.id}`, { status: 'acknowledged' });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('not acknowledged in time');
    // A dispatcher puts the unit back in service once reached.
    expect((await t.request('PATCH', `/api/units/${silent.unitId}`, { status: 'available' })).status).toBe(200);
  });

  it('escalates once per round when every task of a dispatch is silent, then dispatches the whole plan again', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    const first = new Set<string>(incident.assignments.map((a: { id: string }) => a.id));
    const round = await waitFor(async () => {
      const rows = await t.ds.query(`SELECT released_reason FROM assignment WHERE id = ANY($1)`, [[...first]]);
      return rows.every((r: { released_reason: string | null }) => r.released_reason === 'not_acknowledged') ? rows : null;
    }, 15000, 'both silent tasks released');
    expect(round).toHaveLength(2);
    // Read at once, before the next round's timers (2 s) fire.
    const escalated = await t.ds.query(`SELECT from_tier FROM escalation WHERE incident_id = $1 AND reason = 'not_acknowledged'`, [incident.id]);
    expect(escalated).toHaveLength(1);
    const again = await waitFor(async () => {
      const v = await view(incident.id);
      return v.assignments.filter((a: { id: string; status: string }) => !first.has(a.id) && a.status !== 'cleared').length === 2 ? v : null;
    }, 15000, 'the plan dispatched again');
    await ackAll(incident.id);
    expect(again.status).toBe('dispatched');
    const firstUnits = incident.assignments.map((a: { unitId: string }) => a.unitId);
    for (const a of again.assignments.filter((x: { id: string }) => !first.has(x.id))) expect(firstUnits).not.toContain(a.unitId);
  });

  it(`stops replacing a slot after ${MAX_REPLACEMENTS} replacements and asks the dispatcher to assign by hand`, async () => {
    expect((await t.request('PUT', '/api/response-plans/Lift Assist Test', { slots: { engine: 1 }, commandingTier: 'street' })).status).toBe(200);
    const call = await t.request('POST', '/api/calls', { type: 'Lift Assist Test', priority: 3, lat: 37.7890, lon: -122.4010 });
    const incident = await t.incidentOf(call.body.id);
    const stopped = await waitFor(async () => {
      const v = await view(incident.id);
      return v.lastError?.includes('assign by hand') ? v : null;
    }, 30000, 'the replacements to stop');
    const released = stopped.assignments.filter((a: { releasedReason: string | null }) => a.releasedReason === 'not_acknowledged');
    expect(released).toHaveLength(MAX_REPLACEMENTS + 1);
    expect(new Set(released.map((a: { unitId: string }) => a.unitId)).size).toBe(MAX_REPLACEMENTS + 1);
    for (const a of released) expect(await unitStatus(a.unitId)).toBe('out_of_service');
    expect(stopped.status).toBe('received');
    expect(stopped.assignments.filter((a: { status: string }) => a.status !== 'cleared')).toEqual([]);
    // Each round escalated at most one tier, and never past the city.
    const steps = stopped.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged');
    expect(steps.length).toBeLessThanOrEqual(2);
    expect(new Set(steps.map((e: { fromTier: string }) => e.fromTier)).size).toBe(steps.length);
    expect(stopped.autoDispatch).toBe(false);
    expect(stopped.lastError).toBe(`engine: ${MAX_REPLACEMENTS + 1} units did not acknowledge; assign by hand`);
    // Held: a unit freed elsewhere is not sent to it (else one incident could burn the fleet).
    const other = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Lift Assist Test', priority: 3, lat: 37.7975, lon: -122.4350 })).body.id);
    for (const s of ['acknowledged', 'en_route', 'on_scene', 'cleared']) {
      expect((await t.request('PATCH', `/api/assignments/${other.assignments[0].id}`, { status: s })).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 3000));
    await t.settle();
    const held = await view(incident.id);
    expect(held.assignments).toHaveLength(MAX_REPLACEMENTS + 1);
    expect(held.status).toBe('received');
    // A dispatcher assigns one by hand: the hold ends.
    const byHand = await t.request('POST', `/api/incidents/${incident.id}/assignments`, { unitId: other.assignments[0].unitId });
    expect(byHand.status).toBe(201);
    await t.request('PATCH', `/api/assignments/${byHand.body.id}`, { status: 'acknowledged' });
    expect(await view(incident.id)).toMatchObject({ autoDispatch: true, lastError: null, status: 'dispatched' });
  });
});
