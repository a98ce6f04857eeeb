import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Many callers report one emergency: calls of the same kind within about 150 m and 10 minutes of an
 * open incident are linked to it, each keeping its own record and time, and nothing is dispatched
 * twice. A call of another kind nearby is only suggested as a link; a dispatcher can unlink a call.
 */
describe('duplicate calls about one emergency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('duplicates');
  });
  afterAll(async () => {
    await t.close();
  });

  const near = (k: number) => ({ lat: 37.7925 + 0.0002 * Math.sin(k), lon: -122.4100 + 0.0002 * Math.cos(k) });

  it('ten concurrent calls within 200 ms make one incident and one dispatch', async () => {
    const posts = await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        new Promise((r) => setTimeout(r, k * 20)).then(() =>
          t.request('POST', '/api/calls', { type: k % 2 ? 'Structure Fire' : 'Outside Fire', priority: 2, ...near(k), callNumber: `dup-${k}`, address: `${k} Sacramento St` }),
        ),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(10).fill(202));
    await t.settle(async () => {
      const [r] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NOT NULL`, [posts.map((p) => p.body.id)]);
      return r.n === 10;
    });
    const incidents = await t.ds.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [posts.map((p) => p.body.id)]);
    expect(incidents).toHaveLength(1);
    const incident = (await t.request('GET', `/api/incidents/${incidents[0].incident_id}`)).body;
    expect(incident.callCount).toBe(10);
    expect(incident.calls.filter((c: any) => !c.linked)).toHaveLength(1);
    // Each call keeps its own record and time.
    expect(new Set(incident.calls.map((c: any) => c.callNumber)).size).toBe(10);
    // One dispatch: the plan's units once, one assignment.created per unit, no unit twice.
    const [{ n: created }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [incident.id]);
    expect(created).toBe(incident.assignments.length);
    expect(new Set(incident.assignments.map((a: any) => a.unitId)).size).toBe(incident.assignments.length);
    const [{ n: linkedEvents }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'call.linked'`, [incident.id]);
    expect(linkedEvents).toBe(9);
  });

  it('suggests, never links, a nearby call of another kind; a far call of the same kind opens its own incident', async () => {
    const fire = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.8010, lon: -122.4200 });
    const fireIncident = await t.incidentOf(fire.body.id);
    const medical = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.8011, lon: -122.4201 });
    const medicalIncident = await t.incidentOf(medical.body.id);
    expect(medicalIncident.id).not.toBe(fireIncident.id);
    const reread = (await t.request('GET', `/api/incidents/${fireIncident.id}`)).body;
    expect(reread.suggestedLinks.map((c: any) => c.id)).toEqual([medical.body.id]);
    // Both sides say so: the newer incident names the one it may duplicate, with its call number.
    const other = (await t.request('GET', `/api/incidents/${medicalIncident.id}`)).body;
    expect(other.possibleDuplicateOf).toEqual([{ incidentId: fireIncident.id, callNumber: fireIncident.callNumber, type: 'Structure Fire', address: fireIncident.address }]);
    expect(reread.possibleDuplicateOf).toEqual([]);
    const far = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.8040, lon: -122.4200 }); // ~330 m north
    expect((await t.incidentOf(far.body.id)).id).not.toBe(fireIncident.id);
  });

  it('a dispatcher unlinks a call: it becomes its own incident and is dispatched', async () => {
    const first = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7850, lon: -122.4300 });
    const incident = await t.incidentOf(first.body.id);
    const second = await t.request('POST', '/api/calls', { type: 'Traffic Collision', priority: 2, lat: 37.7851, lon: -122.4301 });
    await waitFor(async () => (await t.ds.query(`SELECT linked FROM call WHERE id = $1 AND incident_id = $2`, [second.body.id, incident.id]))[0]?.linked);
    const unlinked = await t.request('POST', `/api/calls/${second.body.id}/unlink`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.id).not.toBe(incident.id);
    expect(unlinked.body.calls.map((c: any) => c.id)).toEqual([second.body.id]);
    const own = await t.incidentOf(second.body.id);
    expect(own.assignments.length).toBeGreaterThan(0);
    const followed = await t.request('GET', `/api/calls/${second.body.id}`);
    expect(followed.body).toMatchObject({ id: second.body.id, incidentId: own.id, linked: false });
    // Unlinking twice is a conflict that names why.
    const again = await t.request('POST', `/api/calls/${second.body.id}/unlink`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('not linked');
  });
});
