import type { TestApp } from '../testing/test-app';
import { startRivertonApp } from '../testing/riverton-app';
import { AgencyRequestsService } from '../dispatch/agency-requests.service';

/**
 * Riverton's police are dispatched by request (`dispatchMode: request` in its profile): a run card's
 * police slot becomes a request to the police post, which accepts with a unit of its own; automatic
 * dispatch and a fire dispatcher never assign a police unit, and a request the post leaves unanswered
 * past the police timeout escalates its incident, once. Its water crews are dispatched directly and held
 * to the water utility's own travel target, not the fire department's.
 */
describe('police are requested of their post, never assigned by fire dispatch', () => {
  let t: TestApp;
  beforeAll(async () => {
    const started = await startRivertonApp('rivertonreq');
    t = started.t;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function dispatched(type: string, lat: number, lon: number, settled: (i: { assignments: unknown[] }) => boolean) {
    const call = await t.request('POST', '/api/calls', { type, priority: 1, lat, lon });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    await t.settle(async () => settled((await t.request('GET', `/api/incidents/${incident.id}`)).body));
    return (await t.request('GET', `/api/incidents/${incident.id}`)).body;
  }
  const requestsOf = async (incidentId: string) => (await t.request('GET', `/api/agency-requests?incidentId=${incidentId}`)).body;

  let fireId: string;
  it('a structure fire gets its engines and ladder; its police slot is a request to the police post, no police unit assigned', async () => {
    const fire = await dispatched('Structure Fire', 41.004, -89.985, (i) => i.assignments.length >= 3);
    fireId = fire.id;
    await t.settle(async () => (await requestsOf(fire.id)).length === 1);
    expect(fire.assignments.map((a: { unitId: string }) => a.unitId).sort()).toEqual(['RE1', 'RE2', 'RL1']);
    const [req] = await requestsOf(fire.id);
    expect(req).toMatchObject({ agency: 'police', capability: 'police', slot: 'police-1', status: 'open', unitId: null, unansweredAt: null });
    // The post has the police acknowledgement time (90 s in Riverton's profile) to answer.
    expect(Math.round((Date.parse(req.dueAt) - Date.parse(req.requestedAt)) / 1000)).toBeGreaterThanOrEqual(89);
    const [ev] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'agency.requested' AND incident_id = $1`, [fire.id]);
    expect(ev.n).toBe(1);
    // Both police units stay free: automatic dispatch never took one.
    const police: { status: string }[] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND agency = 'police'`);
    expect(police.map((p) => p.status)).toEqual(['available', 'available']);
  });

  it('a dispatcher cannot assign a police unit by hand: 400 naming unitId and the request route', async () => {
    const r = await t.request('POST', `/api/incidents/${fireId}/assignments`, { unitId: 'RPD-12', capability: 'police' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/unitId: RPD-12 is a police unit.*agency-requests/);
  });

  it('the post accepts with a police unit (its task waits 90 s for the crew); a fire unit is refused; a second answer is 409', async () => {
    const [req] = await requestsOf(fireId);
    const wrong = await t.request('POST', `/api/agency-requests/${req.id}/accept`, { unitId: 'RB1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/RB1 is a fire unit; this request is for a police unit/);
    const ok = await t.request('POST', `/api/agency-requests/${req.id}/accept`, { unitId: 'RPD-12' });
    expect(ok.status).toBe(201);
    expect(ok.body.request).toMatchObject({ status: 'accepted', unitId: 'RPD-12' });
    expect(ok.body.assignment).toMatchObject({ unitId: 'RPD-12', capability: 'police' });
    const [ack] = await t.ds.query(
      `SELECT round(extract(epoch FROM d.due_at - a.dispatched_at))::int AS s FROM deadline d JOIN assignment a ON a.id = d.assignment_id WHERE a.unit_id = 'RPD-12' AND d.kind = 'ack'`,
    );
    expect(ack.s).toBe(90);
    const again = await t.request('POST', `/api/agency-requests/${req.id}/accept`, { unitId: 'RPD-11' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already accepted with RPD-12/);
    const declineLate = await t.request('POST', `/api/agency-requests/${req.id}/decline`, { reason: 'none free' });
    expect(declineLate.status).toBe(409);
    const [rpd11] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = 'RPD-11'`);
    expect(rpd11.status).toBe('available');
  });

  it('a resource request naming police asks the police post for it too, and sends no police unit', async () => {
    const r = await t.request('POST', `/api/incidents/${fireId}/resource-requests`, { capabilities: ['police'], reason: 'crowd at the scene' });
    expect(r.status).toBe(201);
    expect(r.body.sent).toEqual([]);
    expect(r.body.agencyRequests).toEqual([expect.objectContaining({ agency: 'police', capability: 'police' })]);
    const open = (await requestsOf(fireId)).filter((q: { status: string }) => q.status === 'open');
    expect(open.map((q: { slot: string }) => q.slot)).toEqual([expect.stringMatching(/^rr[0-9a-z]+-police-1$/)]);
    const [rpd11] = await t.ds.query(`SELECT status FROM unit WHERE world = 'live' AND id = 'RPD-11'`);
    expect(rpd11.status).toBe('available');
  });

  it('a request left unanswered past its due time escalates the incident once and stays open; a decline is shown on the incident', async () => {
    // A water main break next to the water crew: the crew is sent at once (direct, within its 60 s: no
    // escalation for the plan), the police slot asked for.
    const leak = await dispatched('Water Main Break', 41.0, -90.0055, (i) => i.assignments.length >= 1);
    expect(leak.assignments.map((a: { unitId: string }) => a.unitId)).toEqual(['RWC-1']);
    await t.settle(async () => (await requestsOf(leak.id)).length === 1);
    const [covered] = await t.ds.query(`SELECT count(*)::int AS n FROM escalation WHERE incident_id = $1`, [leak.id]);
    expect(covered.n).toBe(0);
    const [req] = await requestsOf(leak.id);
    // The post's time runs out (as if 90 s had passed); the reconciler's sweep notices.
    await t.ds.query(`UPDATE agency_request SET due_at = now() - interval '1 second' WHERE id = $1`, [req.id]);
    await t.settle(async () => (await requestsOf(leak.id))[0].unansweredAt !== null, 30000);
    const esc: { reason: string; detail: string; to_tier: string }[] = await t.ds.query(`SELECT reason, detail, to_tier FROM escalation WHERE incident_id = $1 AND reason = 'request_unanswered'`, [leak.id]);
    expect(esc).toEqual([{ reason: 'request_unanswered', detail: 'the police post did not answer the request for police within 90 s', to_tier: 'district' }]);
    // Sweeping again changes nothing: one escalation per request.
    expect(await t.app.get(AgencyRequestsService).sweepUnanswered()).toEqual([]);
    const [after] = await requestsOf(leak.id);
    expect(after.status).toBe('open');
    const [ev] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'agency.request_unanswered' AND incident_id = $1`, [leak.id]);
    expect(ev.n).toBe(1);
    // The post declines: the incident says so, for the dispatcher to act on.
    const declined = await t.request('POST', `/api/agency-requests/${req.id}/decline`, { reason: 'all patrols committed' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', note: 'all patrols committed' });
    const incident = (await t.request('GET', `/api/incidents/${leak.id}`)).body;
    expect(incident.lastError).toBe('the police post declined the request for police: all patrols committed');
    const blank = await t.request('POST', `/api/agency-requests/${req.id}/decline`, { reason: '' });
    expect(blank.status).toBe(400);
    // Not needed after all: the water crew is free again.
    expect((await t.request('POST', `/api/incidents/${leak.id}/cancel`, {})).status).toBe(200);
  });

  let farId: string;
  it('each agency is held to its own target: a water crew beyond the water utility\u2019s 60 s escalates, naming that target', async () => {
    // Same street as the crew (West Ward's Old Town), but across it: within fire's 240/480 s, beyond water's 60 s.
    const far = await dispatched('Water Main Break', 40.9955, -90.0005, (i) => i.assignments.length >= 1);
    farId = far.id;
    const esc: { reason: string; detail: string; from_tier: string }[] = await t.ds.query(
      `SELECT reason, detail, from_tier FROM escalation WHERE incident_id = $1 AND reason = 'plan_not_coverable' ORDER BY at, from_tier DESC`,
      [far.id],
    );
    expect(esc.length).toBeGreaterThan(0);
    expect(esc[0].from_tier).toBe('street');
    expect(esc[0].detail).toMatch(/^first water_utility unit \d+ s > 60 s target \(water_utility\)$/);
    const eta = Number(esc[0].detail.match(/unit (\d+) s/)![1]);
    expect(eta).toBeGreaterThan(60);
    expect(eta).toBeLessThan(240);
  });

  it('a request whose incident ended before the post answered is withdrawn at its due time, without escalating', async () => {
    // The water main break far from the crew (above): its police request is still open.
    const leak = { id: farId };
    await t.settle(async () => (await requestsOf(leak.id)).length === 1);
    const [req] = await requestsOf(leak.id);
    expect(req.status).toBe('open');
    expect((await t.request('POST', `/api/incidents/${leak.id}/cancel`, {})).status).toBe(200);
    await t.ds.query(`UPDATE agency_request SET due_at = now() - interval '1 second' WHERE id = $1`, [req.id]);
    await t.settle(async () => (await requestsOf(leak.id))[0].status === 'withdrawn', 30000);
    const [ev] = await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE type = 'agency.request_unanswered' AND incident_id = $1`, [leak.id]);
    expect(ev.n).toBe(0);
    const late = await t.request('POST', `/api/agency-requests/${req.id}/accept`, { unitId: 'RPD-11' });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/already withdrawn/);
  });
});
