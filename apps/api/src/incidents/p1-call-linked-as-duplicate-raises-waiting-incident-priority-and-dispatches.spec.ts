import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * What an independent tester saw: a P1 call linked as a duplicate of a P2 incident waiting for units
 * left the incident at P2, and nothing was dispatched for it. Now the linked, more urgent call raises
 * the incident's priority (recorded as `incident.priority_changed`, a new revision) and the incident
 * is dispatched again at that revision, as a P1. A less urgent duplicate changes nothing.
 */
describe('a more urgent call linked as a duplicate', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No timer re-dispatches the waiting incident by itself during the test: only the link may.
    t = await startTestApp('linkraisespriority', { PENDING_TIMEOUT_S: '3600', WAITING_RETRY_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('raises the waiting incident to P1, records it, and dispatches it again; a P3 duplicate changes nothing', async () => {
    await t.ds.query(`UPDATE unit SET status = 'out_of_service' WHERE world = 'live' AND status = 'available'`);
    const first = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7905, lon: -122.4170, address: '1200 Pine St', callNumber: 'p2-first' });
    expect(first.status).toBe(202);
    const waiting = await t.incidentOf(first.body.id, true);
    // Decided at its revision with nothing sent: it waits for units.
    await waitFor(async () => {
      const [r] = await t.ds.query(`SELECT decided_revision::int AS d, revision::int AS r FROM incident WHERE id = $1`, [waiting.id]);
      return r.d === r.r;
    }, 20000, 'the P2 incident decided with no unit in service');
    const before = (await t.request('GET', `/api/incidents/${waiting.id}`)).body;
    expect(before).toMatchObject({ priority: 2, status: 'received' });
    expect(before.assignments).toHaveLength(0);

    await t.ds.query(`UPDATE unit SET status = 'available' WHERE world = 'live' AND status = 'out_of_service'`);
    const urgent = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7906, lon: -122.4171, address: '1200 Pine St', callNumber: 'p1-second' });
    expect(urgent.status).toBe(202);
    const linked = await t.incidentOf(urgent.body.id, true);
    expect(linked.id).toBe(waiting.id);

    const after = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${waiting.id}`)).body;
      return v.assignments.length > 0 ? v : null;
    }, 20000, 'the raised incident dispatched');
    expect(after.priority).toBe(1);
    expect(after.revision).toBeGreaterThan(before.revision);
    const events = (await t.request('GET', `/api/incidents/${waiting.id}/events`)).body as { seq: number; type: string; payload: any }[];
    const raised = events.filter((e) => e.type === 'incident.priority_changed');
    expect(raised).toHaveLength(1);
    expect(raised[0].payload).toMatchObject({ incidentId: waiting.id, from: 2, to: 1, reason: 'call_linked', callId: urgent.body.id, callNumber: 'p1-second' });
    // The units came from the dispatch the raise triggered (after it), not before.
    const created = events.filter((e) => e.type === 'assignment.created');
    expect(created.length).toBeGreaterThan(0);
    for (const e of created) expect(e.seq).toBeGreaterThan(raised[0].seq);
    const [{ d }] = await t.ds.query(`SELECT decided_revision::int AS d FROM incident WHERE id = $1`, [waiting.id]);
    expect(d).toBeGreaterThan(before.revision);

    // A less urgent duplicate is linked and changes neither priority nor revision.
    const revision = (await t.request('GET', `/api/incidents/${waiting.id}`)).body.revision;
    const minor = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, lat: 37.7905, lon: -122.4171, callNumber: 'p3-third' });
    expect((await t.incidentOf(minor.body.id, true)).id).toBe(waiting.id);
    const last = (await t.request('GET', `/api/incidents/${waiting.id}`)).body;
    expect(last).toMatchObject({ priority: 1, revision });
    const again = (await t.request('GET', `/api/incidents/${waiting.id}/events`)).body as { type: string }[];
    expect(again.filter((e) => e.type === 'incident.priority_changed')).toHaveLength(1);
  });
});
