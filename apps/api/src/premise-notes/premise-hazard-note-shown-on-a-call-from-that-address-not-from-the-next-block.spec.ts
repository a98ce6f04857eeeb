import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Premise and hazard notes kept at an address are shown on the card of an incident whose point is
 * within `PREMISE_NOTE_RADIUS_M` (30 m) of them, hazards first, and to its crews; a note a block away is
 * not. Dispatchers create, change and delete them; bad input is refused naming the field.
 */
describe('premise and hazard notes at an address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('premise');
  });
  afterAll(async () => {
    await t.close();
  });

  const at = { lat: 37.7890, lon: -122.4010 };
  /** About 10 m north and 200 m east of `at` (1e-4 degree of latitude is 11.1 m). */
  const near = { lat: at.lat + 0.00009, lon: at.lon };
  const blockAway = { lat: at.lat, lon: at.lon + 0.00227 };

  it('shows the notes within the radius on a call from there, hazards first, to dispatchers and the incident\u2019s crews', async () => {
    const premise = await t.request('POST', '/api/premise-notes', { ...at, address: '1 Market St', kind: 'premise', text: 'Key box left of the main door, code from security' });
    expect(premise.status).toBe(201);
    const hazard = await t.request('POST', '/api/premise-notes', { ...near, kind: 'hazard', text: 'Oxygen cylinders in the basement; 氧气瓶' });
    expect(hazard.status).toBe(201);
    expect(hazard.body).toMatchObject({ kind: 'hazard', updatedBy: 'commander', address: null });
    const far = await t.request('POST', '/api/premise-notes', { ...blockAway, kind: 'hazard', text: 'Dog in the yard' });
    expect(far.status).toBe(201);

    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, ...at });
    const incident = await t.incidentOf(call.body.id);
    const notes = await t.request('GET', `/api/incidents/${incident.id}/premise-notes`);
    expect(notes.status).toBe(200);
    expect(notes.body.map((n: { id: string }) => n.id)).toEqual([hazard.body.id, premise.body.id]);
    expect(notes.body[0].distanceM).toBe(10);
    expect(notes.body[1].distanceM).toBe(0);

    const crew = await t.signIn(incident.assignments[0].unitId.toLowerCase());
    const crewNotes = await t.request('GET', `/api/incidents/${incident.id}/premise-notes`, undefined, crew);
    expect(crewNotes.status).toBe(200);
    expect(crewNotes.body).toHaveLength(2);
    const [{ id: other }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND id <> ALL($1) ORDER BY id LIMIT 1`, [incident.assignments.map((a: { unitId: string }) => a.unitId)]);
    expect((await t.request('GET', `/api/incidents/${incident.id}/premise-notes`, undefined, await t.signIn(String(other).toLowerCase()))).status).toBe(403);

    // A call a block away sees only its own block's note.
    const farCall = await t.incidentOf((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, ...blockAway })).body.id);
    expect((await t.request('GET', `/api/incidents/${farCall.id}/premise-notes`)).body.map((n: { id: string }) => n.id)).toEqual([far.body.id]);
    // Looked up by point, as the call-taker types the address.
    expect((await t.request('GET', `/api/premise-notes?lat=${near.lat}&lon=${near.lon}`)).body.map((n: { id: string }) => n.id)).toEqual([hazard.body.id, premise.body.id]);
  });

  it('changes and deletes a note; an unknown one is 404', async () => {
    const n = await t.request('POST', '/api/premise-notes', { lat: 37.78, lon: -122.415, kind: 'premise', text: 'Gate code 1234' });
    const changed = await t.request('PUT', `/api/premise-notes/${n.body.id}`, { lat: 37.78, lon: -122.415, kind: 'hazard', text: 'Gate code 1234; aggressive dog' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: n.body.id, kind: 'hazard', text: 'Gate code 1234; aggressive dog' });
    expect((await t.request('DELETE', `/api/premise-notes/${n.body.id}`)).status).toBe(204);
    expect((await t.request('DELETE', `/api/premise-notes/${n.body.id}`)).status).toBe(404);
    expect((await t.request('PUT', `/api/premise-notes/${n.body.id}`, { lat: 37.78, lon: -122.415, kind: 'hazard', text: 'x' })).status).toBe(404);
    expect((await t.request('GET', '/api/premise-notes?lat=37.78&lon=-122.415')).body).toEqual([]);
  });

  it('refuses bad input naming the field, and writes by observers and crews', async () => {
    const cases: [unknown, string][] = [
      [{ lat: 122.4, lon: 37.7, kind: 'hazard', text: 'x' }, 'lat'],
      [{ lat: 37.7, kind: 'hazard', text: 'x' }, 'lon'],
      [{ lat: 37.7, lon: -122.4, kind: 'danger', text: 'x' }, 'kind'],
      [{ lat: 37.7, lon: -122.4, kind: 'hazard', text: '   ' }, 'text'],
      [{ lat: 37.7, lon: -122.4, kind: 'hazard', text: 'x'.repeat(1001) }, 'text'],
      [{ lat: 37.7, lon: -122.4, kind: 'hazard', text: 'a\u202eb' }, 'text'],
    ];
    for (const [body, field] of cases) {
      const r = await t.request('POST', '/api/premise-notes', body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain(field);
    }
    const q = await t.request('GET', '/api/premise-notes?lat=abc&lon=-122.4');
    expect(q.status).toBe(400);
    expect(JSON.stringify(q.body.message)).toContain('lat');
    expect((await t.request('GET', '/api/premise-notes?lat=95&lon=-122.4')).status).toBe(400);
    const body = { lat: 37.7, lon: -122.4, kind: 'hazard', text: 'x' };
    expect((await t.request('POST', '/api/premise-notes', body, await t.signIn('observer'))).status).toBe(403);
    expect((await t.request('POST', '/api/premise-notes', body, await t.signIn('e01'))).status).toBe(403);
  });
});
