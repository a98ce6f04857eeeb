import { waitFor } from '@cad/db/testing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * When the phones are down nobody acknowledges anything, and replacing every silent crew would take
 * the whole fleet out of service within minutes. Once `SILENT_UNIT_LIMIT` units are out of service for
 * silence, a further silent task stays with its unit and its incident escalates and is held for a
 * dispatcher; no more units are taken out. The hold ends once the kept tasks are acknowledged.
 */
describe('the silent-fleet guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('silentfleet', { ACK_TIMEOUT_S: '2', RECONCILE_INTERVAL_S: '60', SILENT_UNIT_LIMIT: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  const silentUnits = async () =>
    (await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE status = 'out_of_service' AND out_of_service_by LIKE 'timer:%'`))[0].n as number;
  const view = async (id: string): Promise<any> => (await t.request('GET', `/api/incidents/${id}`)).body;

  it('stops taking units out of service once the limit is reached, keeps the tasks and holds the incident', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    const incident = await t.incidentOf(call.body.id);
    const first = incident.assignments.map((a: { id: string }) => a.id);
    expect(first).toHaveLength(2);

    // Round 1: both crews silent; both units out of service (the limit, 2) and replaced.
    const replaced = await waitFor(async () => {
      const v = await view(incident.id);
      return v.assignments.filter((a: { replacesId: string | null }) => a.replacesId).length === 2 ? v : null;
    }, 15000, 'two replacements');
    expect(replaced.assignments.filter((a: { releasedReason: string | null }) => a.releasedReason === 'not_acknowledged')).toHaveLength(2);
    expect(await silentUnits()).toBe(2);

    // Round 2: the replacements are silent too. The guard keeps them on their units and holds the incident.
    const held = await waitFor(async () => {
      const v = await view(incident.id);
      return v.autoDispatch === false ? v : null;
    }, 15000, 'the incident held');
    expect(held.lastError).toMatch(/already out of service for not acknowledging \(phones may be down\): task kept/);
    expect(held.lastErrorCoded).toEqual({ code: 'silent_fleet', params: { unit: expect.any(String), count: 2 } });
    await new Promise((r) => setTimeout(r, 3000));
    await t.settle();
    const after = await view(incident.id);
    const kept = after.assignments.filter((a: { replacesId: string | null }) => a.replacesId);
    expect(kept).toHaveLength(2);
    for (const a of kept) expect(a).toMatchObject({ status: 'dispatched', releasedReason: null });
    expect(after.assignments).toHaveLength(4);
    expect(await silentUnits()).toBe(2);
    // It escalated for the silence, at most one tier per round, never past the city.
    const steps = after.escalations.filter((e: { reason: string }) => e.reason === 'not_acknowledged');
    expect(steps.length).toBeGreaterThanOrEqual(1);
    expect(steps.length).toBeLessThanOrEqual(2);

    // The phones come back: a kept task is acknowledged as usual.
    const ack = await t.request('PATCH', `/api/assignments/${kept[0].id}`, { status: 'acknowledged' });
    expect(ack.status).toBe(200);
    expect(ack.body.applied).toBe(true);
    // Still held while the other kept task is silent; the hold ends when it is acknowledged too.
    expect((await view(incident.id)).autoDispatch).toBe(false);
    expect((await t.request('PATCH', `/api/assignments/${kept[1].id}`, { status: 'acknowledged' })).status).toBe(200);
    expect(await view(incident.id)).toMatchObject({ autoDispatch: true, lastError: null, lastErrorCoded: null });
    // The view the consoles are sent with the end of the hold says so too (built from the row in hand).
    const [last] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.updated' ORDER BY id DESC LIMIT 1`, [incident.id]);
    expect(last.payload).toMatchObject({ autoDispatch: true, lastError: null, lastErrorCoded: null });
  });
});
