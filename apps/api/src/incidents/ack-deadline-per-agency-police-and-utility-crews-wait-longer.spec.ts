import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Each agency has its own acknowledgement timeout (the city profile's `agencies`): fire and EMS units
 * keep `ACK_TIMEOUT_S`; a police unit or a water utility crew is given its agency's longer time before
 * its silent task escalates.
 */
describe('acknowledgement deadlines follow the unit\u2019s agency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('ackagency', { ACK_TIMEOUT_S: '45' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Seconds between each ack deadline's arming and its due time, per assigned unit's agency. */
  async function ackSeconds(incidentId: string): Promise<{ agency: string; s: number }[]> {
    return t.ds.query(
      `SELECT u.agency, round(extract(epoch FROM d.due_at - a.dispatched_at))::int AS s
         FROM deadline d JOIN assignment a ON a.id = d.assignment_id JOIN unit u ON u.world = a.world AND u.id = a.unit_id
        WHERE d.incident_id = $1 AND d.kind = 'ack' ORDER BY u.agency`,
      [incidentId],
    );
  }

  it('a fire department unit gets ACK_TIMEOUT_S (45 s here)', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.789, lon: -122.401 });
    const incident = await t.incidentOf(call.body.id);
    const rows = await ackSeconds(incident.id);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toEqual({ agency: 'fire', s: 45 });
  });

  it('the same call answered by police or water utility units waits their agency\u2019s time (SF profile: 120 s, 300 s)', async () => {
    // Hand the whole live fleet to other agencies: what is armed depends only on the unit's agency.
    await t.ds.query(`UPDATE unit SET agency = CASE WHEN unit_type = 'MEDIC' THEN 'water_utility' ELSE 'police' END WHERE world = 'live'`);
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.435 });
    const incident = await t.incidentOf(call.body.id);
    const rows = await ackSeconds(incident.id);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.s).toBe(r.agency === 'police' ? 120 : 300);
  });
});
