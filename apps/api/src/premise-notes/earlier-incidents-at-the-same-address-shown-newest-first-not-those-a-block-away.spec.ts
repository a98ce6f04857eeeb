import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Incident history at an address: the card of an incident lists the earlier incidents within
 * `PREMISE_NOTE_RADIUS_M` (30 m) of its point, newest first, never itself, a later one or one a block
 * away; its crews read it too, another crew does not.
 */
describe('earlier incidents at the same location', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Each call its own incident: no linking of nearby calls as duplicates.
    t = await startTestApp('history', { DUPLICATE_RADIUS_M: '0' });
    // (a call at the very same point and of the same type still links: the types differ below where that matters)
  });
  afterAll(async () => {
    await t.close();
  });
  const call = async (lat: number, lon: number, type = 'Medical Incident') => t.incidentOf((await t.request('POST', '/api/calls', { type, priority: 3, lat, lon })).body.id, true);

  it('lists the earlier incidents there, newest first', async () => {
    const first = await call(37.7850, -122.4090, 'Alarms');
    const second = await call(37.78505, -122.40905);
    const away = await call(37.7850, -122.4067);
    const now = await call(37.7850, -122.4090);
    const later = await call(37.7850, -122.4090, 'Traffic Collision');
    const h = await t.request('GET', `/api/incidents/${now.id}/history`);
    expect(h.status).toBe(200);
    expect(h.body.map((x: { id: string }) => x.id)).toEqual([second.id, first.id]);
    expect(h.body[0]).toMatchObject({ type: 'Medical Incident', priority: 3, distanceM: 7 });
    expect(h.body[1]).toMatchObject({ type: 'Alarms', distanceM: 0 });
    expect(h.body.map((x: { id: string }) => x.id)).not.toContain(away.id);
    expect((await t.request('GET', `/api/incidents/${later.id}/history`)).body.map((x: { id: string }) => x.id)).toEqual([now.id, second.id, first.id]);
    expect((await t.request('GET', `/api/incidents/${first.id}/history`)).body).toEqual([]);

    const sent = await waitFor(async () => {
      const v = (await t.request('GET', `/api/incidents/${now.id}`)).body;
      return v.assignments.length ? v : null;
    }, 15000, 'a unit sent');
    const crewUnit: string = sent.assignments[0].unitId;
    expect((await t.request('GET', `/api/incidents/${now.id}/history`, undefined, await t.signIn(crewUnit.toLowerCase()))).status).toBe(200);
    const [{ id: other }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND id <> ALL($1) ORDER BY id LIMIT 1`, [sent.assignments.map((a: { unitId: string }) => a.unitId)]);
    expect((await t.request('GET', `/api/incidents/${now.id}/history`, undefined, await t.signIn(String(other).toLowerCase()))).status).toBe(403);
    expect((await t.request('GET', '/api/incidents/not-a-uuid/history')).status).toBe(400);
    expect((await t.request('GET', '/api/incidents/00000000-0000-4000-8000-000000000000/history')).status).toBe(404);
  });
});
