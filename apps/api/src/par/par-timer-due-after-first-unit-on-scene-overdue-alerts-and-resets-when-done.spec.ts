import { startTestApp, TestApp } from '../testing/test-app';

/**
 * On-scene welfare (PAR): an incident's PAR falls due `PAR_INTERVAL_S` (2 s here) after its first unit
 * arrives on scene, is overdue once that passes (listed by `GET /api/par` for the dispatcher's alert),
 * and starts over when a dispatcher records a PAR. No unit on scene: no timer, and no PAR to record.
 */
describe('the PAR timer of an incident', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('par', { PAR_INTERVAL_S: '2', ACK_TIMEOUT_S: '600' });
  });
  afterAll(async () => {
    await t.close();
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs from the first unit on scene, alerts when overdue, and resets when a PAR is recorded', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.789, lon: -122.401 })).body.id);
    expect((await t.request('GET', `/api/incidents/${incident.id}/par`)).body).toMatchObject({ dueAt: null, onSceneAt: null, overdue: false, intervalS: 2 });
    const early = await t.request('POST', `/api/incidents/${incident.id}/par`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('no unit on scene');
    expect((await t.request('GET', '/api/par')).body.map((p: { incidentId: string }) => p.incidentId)).not.toContain(incident.id);

    const task = incident.assignments[0];
    for (const s of ['acknowledged', 'en_route', 'on_scene']) expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: s })).status).toBe(200);
    const running = (await t.request('GET', `/api/incidents/${incident.id}/par`)).body;
    expect(running.overdue).toBe(false);
    expect(Date.parse(running.dueAt) - Date.parse(running.onSceneAt)).toBe(2000);

    await sleep(2200);
    const due = (await t.request('GET', '/api/par')).body.find((p: { incidentId: string }) => p.incidentId === incident.id);
    expect(due).toMatchObject({ overdue: true, lastParAt: null });

    const done = await t.request('POST', `/api/incidents/${incident.id}/par`);
    expect(done.status).toBe(200);
    expect(done.body.overdue).toBe(false);
    expect(Date.parse(done.body.dueAt) - Date.parse(done.body.lastParAt)).toBe(2000);
    const [ev] = await t.ds.query(`SELECT actor, payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.par'`, [incident.id]);
    expect(ev).toMatchObject({ actor: 'commander', payload: { units: [task.unitId], by: 'commander' } });
    // Overdue again after another interval without a PAR.
    await sleep(2200);
    expect((await t.request('GET', `/api/incidents/${incident.id}/par`)).body.overdue).toBe(true);

    // Every unit cleared, the incident resolved: off the running list, no PAR to record.
    for (const a of (await t.request('GET', `/api/incidents/${incident.id}`)).body.assignments) if (a.status !== 'cleared') await t.request('PATCH', `/api/assignments/${a.id}`, { status: 'cleared', ...(a.status === 'on_scene' ? {} : { cancelReason: 'not_needed' }) });
    expect((await t.request('GET', `/api/incidents/${incident.id}`)).body.status).toBe('resolved');
    expect((await t.request('GET', '/api/par')).body.map((p: { incidentId: string }) => p.incidentId)).not.toContain(incident.id);
    const after = await t.request('POST', `/api/incidents/${incident.id}/par`);
    expect(after.status).toBe(409);
    expect(after.body.message).toContain('resolved');
  });

  it('is recorded by dispatchers only, and refuses a malformed or unknown incident', async () => {
    const incident = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.78, lon: -122.415 })).body.id);
    expect((await t.request('POST', `/api/incidents/${incident.id}/par`, undefined, await t.signIn('observer'))).status).toBe(403);
    expect((await t.request('POST', `/api/incidents/${incident.id}/par`, undefined, await t.signIn(incident.assignments[0].unitId.toLowerCase()))).status).toBe(403);
    expect((await t.request('POST', '/api/incidents/not-a-uuid/par')).status).toBe(400);
    expect((await t.request('GET', '/api/incidents/00000000-0000-4000-8000-000000000000/par')).status).toBe(404);
  });
});
