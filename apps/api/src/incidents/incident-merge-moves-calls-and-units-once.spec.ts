import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Two incidents opened for what a dispatcher finds is one emergency (the callers were 300 m apart,
 * beyond the duplicate window) are merged: the duplicate's calls and units move to the survivor with
 * their tasks and timers, nothing is dispatched again, the survivor takes the more urgent priority,
 * and the duplicate ends `merged`. Merging it again, into itself, or into a closed incident is
 * refused naming why; a dispatcher of another district cannot merge.
 */
describe('merging two incidents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('merge', { ACK_TIMEOUT_S: '600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('moves calls and units to the survivor once, and ends the duplicate merged', async () => {
    const a = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.7935, lon: -122.4045, callNumber: 'merge-a' })).body.id);
    const b = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.7962, lon: -122.4045, callNumber: 'merge-b' })).body.id);
    expect(b.id).not.toBe(a.id);
    expect(a.assignments.length).toBeGreaterThan(0);
    expect(b.assignments.length).toBeGreaterThan(0);
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment`);

    // Scope: a district dispatcher elsewhere may not merge.
    const other = `d${a.district.id === 'sf-d1' ? 2 : 1}`;
    const refused = await t.request('POST', `/api/incidents/${b.id}/merge`, { into: a.id, reason: 'same fire' }, await t.signIn(other));
    expect(refused.status).toBe(403);

    const merged = await t.request('POST', `/api/incidents/${b.id}/merge`, { into: a.id, reason: 'same fire, second caller saw the smoke from the next block' });
    expect(merged.status).toBe(200);
    const survivor = merged.body;
    expect(survivor.id).toBe(a.id);
    expect(survivor.priority).toBe(1);
    expect(survivor.calls.map((c: { callNumber: string }) => c.callNumber).sort()).toEqual(['merge-a', 'merge-b']);
    expect(survivor.calls.find((c: { callNumber: string }) => c.callNumber === 'merge-b').linked).toBe(true);
    const units = (v: { assignments: { unitId: string; status: string }[] }) => v.assignments.filter((x) => x.status !== 'cleared').map((x) => x.unitId).sort();
    expect(units(survivor)).toEqual([...units(a), ...units(b)].sort());
    // Nothing was dispatched again, and the moved tasks' acknowledgement timers follow them.
    await t.settle();
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment`);
    expect(after).toBe(before);
    const timers = await t.ds.query(`SELECT incident_id FROM deadline WHERE assignment_id = ANY($1) AND state = 'pending'`, [b.assignments.map((x: { id: string }) => x.id)]);
    expect(timers.length).toBe(b.assignments.length);
    expect(timers.every((d: { incident_id: string }) => d.incident_id === a.id)).toBe(true);

    const dup = (await t.request('GET', `/api/incidents/${b.id}`)).body;
    expect(dup).toMatchObject({ status: 'merged', mergedInto: a.id, calls: [], assignments: [] });
    expect(dup.disposition).toContain('same fire');
    const timeline = (await t.request('GET', `/api/incidents/${b.id}/events`)).body;
    expect(timeline.find((e: { type: string }) => e.type === 'incident.merged').payload).toMatchObject({ into: a.id, units: units(b) });

    // The survivor's timeline says what it absorbed.
    const survivorTimeline = (await t.request('GET', `/api/incidents/${a.id}/events`)).body;
    expect(survivorTimeline.find((e: { type: string }) => e.type === 'incident.merged').payload).toMatchObject({ into: a.id, from: b.id });

    // Refusals name what is wrong.
    const again = await t.request('POST', `/api/incidents/${b.id}/merge`, { into: a.id, reason: 'again' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain(`already merged into ${a.id}`);
    const escalateMerged = await t.request('POST', `/api/incidents/${b.id}/escalate`, { reason: 'after the merge' });
    expect(escalateMerged.status).toBe(409);
    expect(JSON.stringify(escalateMerged.body)).toContain('merged');
    const blank = await t.request('POST', `/api/incidents/${a.id}/merge`, { into: b.id, reason: ' \t ' });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('reason must not be blank');
    const self = await t.request('POST', `/api/incidents/${a.id}/merge`, { into: a.id, reason: 'x' });
    expect(self.status).toBe(400);
    expect(JSON.stringify(self.body)).toContain('into');
    const bad = await t.request('POST', `/api/incidents/${a.id}/merge`, { into: 'not-a-uuid', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('into');
  });

  it('refuses to merge into a closed incident', async () => {
    const c = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Alarms', priority: 3, lat: 37.7890, lon: -122.4010, callNumber: 'merge-c' })).body.id);
    const d = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Alarms', priority: 3, lat: 37.7990, lon: -122.4250, callNumber: 'merge-d' })).body.id);
    expect((await t.request('POST', `/api/incidents/${c.id}/cancel`, { disposition: 'false alarm' })).status).toBe(200);
    const r = await t.request('POST', `/api/incidents/${d.id}/merge`, { into: c.id, reason: 'same alarm' });
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toContain('cancelled');
    expect((await t.request('GET', `/api/incidents/${d.id}`)).body.status).not.toBe('merged');
  });
});
