import type { TestApp } from '../testing/test-app';
import { startRivertonApp } from '../testing/riverton-app';

/**
 * Why an incident is held is stored coded beside its English words (`last_error_code`,
 * `last_error_params`), and its view carries the code and its params for a console to word in its
 * own language. A row stored before the code was (text only) is coded from its text where the text is
 * known, else shown as stored; a hold that ends clears the code with the text.
 */
describe("a held incident's view carries its reason's code and params", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = (await startRivertonApp('heldcode')).t;
  });
  afterAll(async () => {
    await t?.close();
  });

  const view = async (id: string) => (await t.request('GET', `/api/incidents/${id}`)).body;
  const requestsOf = async (incidentId: string) => (await t.request('GET', `/api/agency-requests?incidentId=${incidentId}`)).body;
  let leakId: string;

  it("the police post declines: the view names the agency, the capability and the post's reason, and the row stores them", async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Water Main Break', priority: 1, lat: 41.0, lon: -90.0055 });
    expect(call.status).toBe(202);
    leakId = (await t.incidentOf(call.body.id)).id;
    await t.settle(async () => (await requestsOf(leakId)).length === 1);
    const [req] = await requestsOf(leakId);
    expect((await t.request('POST', `/api/agency-requests/${req.id}/decline`, { reason: 'all patrols committed' })).status).toBe(200);
    const v = await view(leakId);
    expect(v.lastError).toBe('the police post declined the request for police: all patrols committed');
    expect(v.lastErrorCoded).toEqual({ code: 'agency_declined', params: { agency: 'police', capability: 'police', reason: 'all patrols committed' } });
    const [row] = await t.ds.query(`SELECT last_error_code, last_error_params FROM incident WHERE id = $1`, [leakId]);
    expect(row).toEqual({ last_error_code: 'agency_declined', last_error_params: { agency: 'police', capability: 'police', reason: 'all patrols committed' } });
    // The event the consoles receive carries the same view.
    const [ev] = await t.ds.query(`SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'incident.updated' ORDER BY seq DESC LIMIT 1`, [leakId]);
    expect(ev.payload.lastErrorCoded).toEqual(v.lastErrorCoded);
  });

  it('a reopened incident is held with its own code; confirming its dispatch clears code and text together', async () => {
    expect((await t.request('POST', `/api/incidents/${leakId}/cancel`, {})).status).toBe(200);
    expect((await t.request('POST', `/api/incidents/${leakId}/reopen`)).status).toBe(200);
    const held = await view(leakId);
    expect(held).toMatchObject({ status: 'received', autoDispatch: false, lastErrorCoded: { code: 'reopened', params: {} } });
    expect(held.lastError).toBe('reopened: dispatch units when a dispatcher confirms');
    expect((await t.request('POST', `/api/incidents/${leakId}/confirm-dispatch`)).status).toBe(200);
    await t.settle(async () => (await view(leakId)).status === 'dispatched');
    const [row] = await t.ds.query(`SELECT last_error, last_error_code, last_error_params, auto_dispatch FROM incident WHERE id = $1`, [leakId]);
    expect(row).toEqual({ last_error: null, last_error_code: null, last_error_params: null, auto_dispatch: true });
    expect((await view(leakId)).lastErrorCoded).toBeNull();
  });

  it('hostile: an old row with text only is coded from a known text, and an unknown text has no code (shown as stored)', async () => {
    await t.ds.query(`UPDATE incident SET last_error = 'unfilled: engine, truck', last_error_code = NULL, last_error_params = NULL WHERE id = $1`, [leakId]);
    expect((await view(leakId)).lastErrorCoded).toEqual({ code: 'unfilled', params: { capabilities: 'engine, truck' } });
    await t.ds.query(`UPDATE incident SET last_error = 'the radio room called it off' WHERE id = $1`, [leakId]);
    const v = await view(leakId);
    expect(v.lastError).toBe('the radio room called it off');
    expect(v.lastErrorCoded).toBeNull();
  });
});
