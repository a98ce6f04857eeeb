import { JurisdictionIndex } from '@cad/domain';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A district dispatcher may message, and read the messages of, the units assigned to an incident in
 * their district wherever those units are based (the 550 Columbus fire worked by engines of other
 * districts); about that incident only. A unit neither based in the district nor working one of its
 * incidents stays 403, and so does a message to the outside unit that names no incident of theirs.
 */
describe('a district dispatcher and an outside unit on its incident', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('messages-outside-unit', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('messages and reads the outside unit about its incident, and nothing else', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.8003, lon: -122.4105, address: '550 Columbus Ave' });
    const fire = await t.incidentOf(call.body.id);
    await t.settle();
    expect(fire.district.id).toBe('sf-d3');
    const index = t.app.get(JurisdictionIndex);
    const units: { id: string; home_street_id: string | null }[] = await t.ds.query(
      `SELECT id, home_street_id FROM unit WHERE world = 'live' AND status = 'available' ORDER BY id`,
    );
    const outside = units.filter((u) => !index.chain(u.home_street_id).includes('sf-d3'));
    expect(outside.length).toBeGreaterThanOrEqual(2);
    const [helper, stranger] = outside.map((u) => u.id);
    // The commander sends the outside engine to the fire (mutual aid).
    const assigned = await t.request('POST', `/api/incidents/${fire.id}/assignments`, { unitId: helper });
    expect(assigned.status).toBe(201);

    const d3 = await t.signIn('d3');
    const sent = await t.request('POST', `/api/units/${helper}/messages`, { text: 'Stage on Union St', incidentId: fire.id }, d3);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ unitId: helper, incidentId: fire.id, state: 'sent' });
    // A message the commander sent the unit about no incident (its own district's business) is not d3's to read.
    expect((await t.request('POST', `/api/units/${helper}/messages`, { text: 'Your station: fuel card' })).status).toBe(201);
    const read = await t.request('GET', `/api/units/${helper}/messages`, undefined, d3);
    expect(read.status).toBe(200);
    expect(read.body.map((m: { text: string }) => m.text)).toEqual(['Stage on Union St']);

    // Hostile twins: a unit neither based in sf-d3 nor on one of its incidents stays 403, reading and sending.
    const strangerRead = await t.request('GET', `/api/units/${stranger}/messages`, undefined, d3);
    expect(strangerRead.status).toBe(403);
    expect(strangerRead.body.message).toBe(`unit ${stranger} is based outside sf-d3 and is not assigned to an incident there`);
    expect((await t.request('POST', `/api/units/${stranger}/messages`, { text: 'hi', incidentId: fire.id }, d3)).status).toBe(403);
    // The outside unit, but about no incident of sf-d3: refused, naming the incident to use.
    const noIncident = await t.request('POST', `/api/units/${helper}/messages`, { text: 'hi' }, d3);
    expect(noIncident.status).toBe(403);
    expect(noIncident.body.message).toBe(`unit ${helper} is based outside sf-d3: a message to it must name its incident there (incidentId ${fire.id})`);
    const elsewhere = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7205, lon: -122.4460, address: 'far away' });
    const other = await t.incidentOf(elsewhere.body.id);
    expect(other.district.id).not.toBe('sf-d3');
    expect((await t.request('POST', `/api/units/${helper}/messages`, { text: 'hi', incidentId: other.id }, d3)).status).toBe(403);

    // Once the unit has cleared the fire: the history stays readable, a new message is refused.
    const [task] = await t.ds.query(`SELECT id FROM assignment WHERE incident_id = $1 AND unit_id = $2 AND world = 'live' AND status <> 'cleared'`, [fire.id, helper]);
    expect((await t.request('PATCH', `/api/assignments/${task.id}`, { status: 'cleared', cancelReason: 'not_needed' })).status).toBe(200);
    expect((await t.request('GET', `/api/units/${helper}/messages`, undefined, d3)).body.map((m: { text: string }) => m.text)).toEqual(['Stage on Union St']);
    expect((await t.request('POST', `/api/units/${helper}/messages`, { text: 'still there?', incidentId: fire.id }, d3)).status).toBe(403);
  });
});
