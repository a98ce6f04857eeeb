import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Live automatic dispatch solves every incident waiting for units together, higher priorities first:
 * a minor call dispatched while a cardiac arrest waits does not take the one engine the cardiac
 * arrest needs (nearest-first per incident would), and the waiting incident is dispatched at once.
 */
describe('live dispatch across the incidents waiting for units', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('joint-dispatch');
  });
  afterAll(async () => {
    await t.close();
  });

  const incidentOfCall = async (callId: string) =>
    waitFor(async () => {
      const [r] = await t.ds.query(`SELECT incident_id FROM call WHERE id = $1 AND incident_id IS NOT NULL`, [callId]);
      return r?.incident_id as string | undefined;
    }, 15000, `incident of call ${callId}`);
  const unitsOf = async (incidentId: string) =>
    (await t.ds.query(`SELECT unit_id FROM assignment WHERE incident_id = $1 AND released_reason IS NULL ORDER BY unit_id`, [incidentId])).map((r: { unit_id: string }) => r.unit_id);

  /** The P3 of the first case, left waiting for an engine. */
  let waitingP3 = '';

  it('a P3 dispatched while a P1 waits leaves the only engine to the P1', async () => {
    // One engine in the whole city, out of service for now; everything else out of service.
    const [engine] = await t.ds.query(`SELECT id, lat, lon FROM unit WHERE capabilities = ARRAY['engine']::text[] ORDER BY id LIMIT 1`);
    await t.ds.query(`UPDATE unit SET status = 'out_of_service'`);
    const near = (k: number) => ({ lat: engine.lat + 0.0015 * k, lon: engine.lon - 0.001 * k });

    // A cardiac arrest (P1) comes in: nothing can be sent, it waits.
    const p1 = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, ...near(2), callNumber: 'joint-p1', address: '1 Test St' });
    expect(p1.status).toBe(202);
    const p1Incident = await incidentOfCall(p1.body.id);
    await t.settle(async () => {
      const [i] = await t.ds.query(`SELECT last_error FROM incident WHERE id = $1`, [p1Incident]);
      return i.last_error !== null;
    });
    expect(await unitsOf(p1Incident)).toEqual([]);

    // The engine is back (recorded without a redispatch, as when a minor call's job runs first), and
    // a minor outside fire (P3) is reported right next to it.
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE id = $1`, [engine.id]);
    const p3 = await t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 3, ...near(0.2), callNumber: 'joint-p3', address: '2 Test St' });
    expect(p3.status).toBe(202);
    const p3Incident = await incidentOfCall(p3.body.id);
    waitingP3 = p3Incident;

    // The engine goes to the P1, and the P3 waits for the next free engine.
    await t.settle(async () => (await unitsOf(p1Incident)).length > 0);
    expect(await unitsOf(p1Incident)).toEqual([engine.id]);
    expect(await unitsOf(p3Incident)).toEqual([]);
    const [p3Row] = await t.ds.query(`SELECT status, last_error FROM incident WHERE id = $1`, [p3Incident]);
    expect(p3Row.status).toBe('received');
    expect(p3Row.last_error).toMatch(/no available unit/);
    // The P3's dispatch found its plan uncoverable (the engine was kept for the P1), and said so.
    const [escalated] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.escalated' ORDER BY seq LIMIT 1`, [p3Incident]);
    expect(escalated).toBeDefined();
    const [created] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.created'`, [p1Incident]);
    expect(JSON.stringify(created.payload)).toMatch(/min-cost assignment/);
  });

  it('two new P3s and the P3 still waiting are solved in one round: each gets one engine, none twice', async () => {
    // Three engines back in service; two minor calls (P3) about 450 m apart (two incidents, not
    // duplicates). The round that serves them also holds the P3 left waiting above (it waited longest).
    const engines = await t.ds.query(`SELECT id, lat, lon FROM unit WHERE capabilities = ARRAY['engine']::text[] AND status = 'out_of_service' ORDER BY id LIMIT 3`);
    await t.ds.query(`UPDATE unit SET status = 'available' WHERE id = ANY($1)`, [engines.map((e: { id: string }) => e.id)]);
    const posts = await Promise.all(
      [0, 1].map((k) =>
        t.request('POST', '/api/calls', { type: 'Outside Fire', priority: 3, lat: engines[0].lat + 0.004 * k, lon: engines[0].lon, callNumber: `joint-same-${k}`, address: `${k} Same St` }),
      ),
    );
    const ids = [waitingP3, ...(await Promise.all(posts.map((p) => incidentOfCall(p.body.id))))];
    expect(new Set(ids).size).toBe(3);
    await t.settle(async () => (await Promise.all(ids.map(unitsOf))).every((u) => u.length === 1));
    const got = (await Promise.all(ids.map(unitsOf))).flat().sort();
    expect(got).toEqual(engines.map((e: { id: string }) => e.id).sort());
  });
});
