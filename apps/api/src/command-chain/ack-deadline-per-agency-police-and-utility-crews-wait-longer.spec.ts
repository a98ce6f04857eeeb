import { startTestApp, TestApp } from '../testing/test-app';

/**
 * Each agency has its own acknowledgement timeout (the city profile's `agencies`): fire and EMS units
 * keep `ACK_TIMEOUT_S`; police and utility crews, dispatched by request in the SF profile, are never
 * sent by automatic dispatch (their post accepts a request; its unit then waits its agency's time).
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

  it('units handed to police and a utility (request mode in the SF profile) are never sent by automatic dispatch: their post sends them', async () => {
    // Hand the whole live fleet to other agencies: the medical call gets no unit of theirs (the Riverton
    // request spec shows the police timeout, 90 s there, armed once the police post accepts).
    const [{ n: rowsBefore }] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE world = 'live' AND status <> 'available'`);
    await t.ds.query(`UPDATE unit SET agency = CASE WHEN unit_type = 'MEDIC' THEN 'water_utility' ELSE 'police' END WHERE world = 'live'`);
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7975, lon: -122.435 });
    const incident = await t.incidentOf(call.body.id, true);
    await t.settle(async () => (await t.request('GET', `/api/incidents/${incident.id}`)).body.lastError !== null || (await ackSeconds(incident.id)).length > 0);
    const [sent] = await t.ds.query(`SELECT count(*)::int AS n FROM assignment WHERE incident_id = $1`, [incident.id]);
    expect(sent.n).toBe(0);
    expect((await t.request('GET', `/api/incidents/${incident.id}`)).body.lastError).toMatch(/^no available unit could be dispatched/);
    const busy: { n: number }[] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE world = 'live' AND status <> 'available'`);
    expect(busy[0].n).toBeLessThanOrEqual(rowsBefore);
  });
});
