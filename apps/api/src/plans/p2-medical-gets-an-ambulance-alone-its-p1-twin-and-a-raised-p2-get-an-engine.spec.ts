import { ResourceRequestsService } from '../dispatch/resource-requests.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Issue 20: SFFD answered most priority-2 medical calls with an ambulance alone, and the plans per call
 * type and priority say so (derived from the real week at import). A P2 medical call gets one ambulance;
 * its P1 twin an engine and an ambulance; a P2 call raised to P1 by a duplicate call after its ambulance
 * was sent gets the engine its new plan adds (through the dispatch queue), once.
 */
describe('response plans per call type and priority in live dispatch', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No timer re-dispatches a waiting incident by itself: only a merge may (last case).
    t = await startTestApp('planpriority', { PENDING_TIMEOUT_S: '3600', WAITING_RETRY_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  const caps = (incident: any) => (incident.assignments as any[]).filter((a) => a.status !== 'cleared').map((a) => a.capability).sort();

  it('sends an ambulance alone to a P2 medical call and an engine with an ambulance to its P1 twin', async () => {
    const p2 = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7905, lon: -122.417, address: '1200 Pine St', callNumber: 'pp-p2' });
    expect(p2.status).toBe(202);
    const p1 = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.8005, lon: -122.4365, address: '3000 Chestnut St', callNumber: 'pp-p1' });
    expect(p1.status).toBe(202);
    const two = await t.incidentOf(p2.body.id);
    const one = await t.incidentOf(p1.body.id);
    expect(two.priority).toBe(2);
    expect(caps(two)).toEqual(['ambulance']);
    expect(one.priority).toBe(1);
    expect(caps(one)).toEqual(['ambulance', 'engine']);
  });

  it('sends the engine to a P2 medical call raised to P1 by a duplicate call, once', async () => {
    const first = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7955, lon: -122.4035, address: '500 Clay St', callNumber: 'pp-raise-1' });
    const incident = await t.incidentOf(first.body.id);
    expect(caps(incident)).toEqual(['ambulance']);
    const urgent = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7956, lon: -122.4036, address: '500 Clay St', callNumber: 'pp-raise-2' });
    expect((await t.incidentOf(urgent.body.id)).id).toBe(incident.id);
    const after = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
      return caps(v).includes('engine') ? v : null;
    }, 20000, 'the engine of the P1 plan sent to the raised incident');
    expect(after.priority).toBe(1);
    // The ambulance already there serves its slot: one engine added, no second ambulance.
    expect(caps(after)).toEqual(['ambulance', 'engine']);
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body as { seq: number; type: string; payload: any }[];
    const raised = events.find((e) => e.type === 'incident.priority_changed')!;
    expect(raised.payload).toMatchObject({ from: 2, to: 1, reason: 'call_linked' });
    const topUp = events.filter((e) => e.type === 'incident.resources_requested');
    expect(topUp).toHaveLength(1);
    expect(topUp[0].payload).toMatchObject({ reason: 'priority_raised', requested: ['engine'], unfilled: [] });
    expect(topUp[0].seq).toBeGreaterThan(raised.seq);
    // Run again (a retried job): nothing is missing, nothing is sent.
    await t.settle();
    expect(await t.app.get(ResourceRequestsService).topUpAfterPriorityRaise(incident.id)).toBeNull();
    expect(caps((await t.request('GET', `/api/incidents/${incident.id}`)).body)).toEqual(['ambulance', 'engine']);
  });

  it('sends the engine to a P2 medical incident when a P1 incident waiting for units is merged into it', async () => {
    const first = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7925, lon: -122.4105, callNumber: 'pp-merge-1' });
    const survivor = await t.incidentOf(first.body.id);
    expect(caps(survivor)).toEqual(['ambulance']);
    // A P1 call elsewhere while no unit is in service: it waits with nothing sent.
    const parked: { id: string }[] = await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND status = 'available' RETURNING id`).then((r) => r[0]);
    const other = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7865, lon: -122.4255, callNumber: 'pp-merge-2' });
    const waiting = await t.incidentOf(other.body.id, true);
    await waitFor(async () => {
      const [r] = await t.ds.query(`SELECT decided_revision::int AS d, revision::int AS r FROM incident WHERE id = $1`, [waiting.id]);
      return r.d === r.r;
    }, 20000, 'the P1 incident decided with no unit in service');
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND id = ANY($1)`, [parked.map((u) => u.id)]);
    const merged = await t.request('POST', `/api/incidents/${waiting.id}/merge`, { into: survivor.id, reason: 'same patient' });
    expect(merged.status).toBe(200);
    expect(merged.body.priority).toBe(1);
    const after = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${survivor.id}`)).body;
      return caps(v).includes('engine') ? v : null;
    }, 20000, 'the engine of the P1 plan sent to the merged survivor');
    expect(caps(after)).toEqual(['ambulance', 'engine']);
    const events = (await t.request('GET', `/api/incidents/${survivor.id}/events`)).body as { type: string; payload: any }[];
    expect(events.filter((e) => e.type === 'incident.resources_requested').map((e) => e.payload.reason)).toEqual(['priority_raised']);
  });

  it('a P2 duplicate of a P2 incident raises nothing and sends nothing more', async () => {
    const first = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7985, lon: -122.4245, callNumber: 'pp-same-1' });
    const incident = await t.incidentOf(first.body.id);
    const again = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7985, lon: -122.4246, callNumber: 'pp-same-2' });
    expect((await t.incidentOf(again.body.id)).id).toBe(incident.id);
    await t.settle();
    const v = (await t.request('GET', `/api/incidents/${incident.id}`)).body;
    expect(v.priority).toBe(2);
    expect(caps(v)).toEqual(['ambulance']);
  });
});
