import { startTestApp, TestApp } from '../testing/test-app';
import { CallerRetention } from './call-record.service';

/**
 * The call record through the API on the real record: a caller's name and callback number reach the
 * dispatcher and the incident's crew, never an observer, another crew or the event log, and are deleted
 * after CALLER_RETENTION_DAYS; narrative entries by author, in order, each an `incident.narrative`
 * event; closing needs a disposition code from DISPOSITION_CODES.
 */
describe('call record: caller details, narrative, disposition codes', () => {
  let t: TestApp;
  let incident: { id: string; assignments: { id: string; unitId: string }[] };
  let callId: string;
  beforeAll(async () => {
    t = await startTestApp('call-record', { CALLER_RETENTION_DAYS: '30' });
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7930, lon: -122.4190 });
    callId = call.body.id;
    incident = await t.incidentOf(callId);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the caller to the dispatcher and the crew of the incident, refuses observers and other crews, and keeps it out of the event log', async () => {
    const put = await t.request('PUT', `/api/calls/${callId}/caller`, { callerName: ' 王小明 ', callbackNumber: '+1 (415) 555-0134' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ callId, incidentId: incident.id });
    const expected = [expect.objectContaining({ callId, callerName: '王小明', callbackNumber: '+1 (415) 555-0134', recordedBy: 'commander' })];
    expect((await t.request('GET', `/api/incidents/${incident.id}/callers`)).body).toEqual(expected);

    const crew = incident.assignments[0].unitId;
    const crewView = await t.request('GET', `/api/incidents/${incident.id}/callers`, undefined, await t.signIn(crew.toLowerCase()));
    expect(crewView.status).toBe(200);
    expect(crewView.body).toEqual(expected);

    const observer = await t.request('GET', `/api/incidents/${incident.id}/callers`, undefined, await t.signIn('observer'));
    expect(observer.status).toBe(403);
    expect(JSON.stringify(observer.body)).not.toContain('555');
    const [{ id: otherUnit }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND id <> ALL($1) ORDER BY id LIMIT 1`, [incident.assignments.map((a) => a.unitId)]);
    const otherCrew = await t.request('GET', `/api/incidents/${incident.id}/callers`, undefined, await t.signIn(String(otherUnit).toLowerCase()));
    expect(otherCrew.status).toBe(403);
    const observerWrite = await t.request('PUT', `/api/calls/${callId}/caller`, { callbackNumber: '911' }, await t.signIn('observer'));
    expect(observerWrite.status).toBe(403);

    // Nothing of the caller in the public record: event payloads, the call and incident views.
    const leaked = await t.ds.query(`SELECT type FROM incident_event WHERE payload::text LIKE '%555-0134%' OR payload::text LIKE '%王小明%'`);
    expect(leaked).toEqual([]);
    expect(JSON.stringify((await t.request('GET', `/api/incidents/${incident.id}`)).body)).not.toContain('555-0134');
    expect(JSON.stringify((await t.request('GET', `/api/calls/${callId}`)).body)).not.toContain('555-0134');

    // A correction replaces the caller, it does not add a second one.
    await t.request('PUT', `/api/calls/${callId}/caller`, { callbackNumber: '415-555-0199' });
    const corrected = (await t.request('GET', `/api/incidents/${incident.id}/callers`)).body;
    expect(corrected).toEqual([expect.objectContaining({ callerName: null, callbackNumber: '415-555-0199' })]);
  });

  it('refuses a callback number that is not one, naming the field, and an unknown call', async () => {
    for (const body of [{ callbackNumber: 'call me back' }, { callbackNumber: '12' }, { callbackNumber: '+1 415 555 0134 0000 99' }, { callerName: 'Ann' }, { callbackNumber: '415\u202e5550134' }]) {
      const r = await t.request('PUT', `/api/calls/${callId}/caller`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain('callbackNumber');
    }
    const long = await t.request('PUT', `/api/calls/${callId}/caller`, { callerName: 'x'.repeat(121), callbackNumber: '4155550134' });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.message)).toContain('callerName');
    const unknown = await t.request('PUT', `/api/calls/00000000-0000-4000-8000-000000000000/caller`, { callbackNumber: '4155550134' });
    expect(unknown.status).toBe(404);
    // The refused inputs changed nothing.
    expect((await t.request('GET', `/api/incidents/${incident.id}/callers`)).body).toEqual([expect.objectContaining({ callbackNumber: '415-555-0199' })]);
  });

  it('deletes callers past CALLER_RETENTION_DAYS and keeps those within it', async () => {
    const second = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: 37.8010, lon: -122.4190 });
    await t.request('PUT', `/api/calls/${second.body.id}/caller`, { callbackNumber: '4155550111' });
    await t.ds.query(`UPDATE caller_contact SET recorded_at = now() - interval '31 days' WHERE call_id = $1`, [callId]);
    await t.ds.query(`UPDATE caller_contact SET recorded_at = now() - interval '29 days' WHERE call_id = $1`, [second.body.id]);
    expect(await t.app.get(CallerRetention).purge()).toBe(1);
    const left = await t.ds.query(`SELECT call_id FROM caller_contact WHERE call_id = ANY($1)`, [[callId, second.body.id]]);
    expect(left).toEqual([{ call_id: second.body.id }]);
    expect(await t.app.get(CallerRetention).purge()).toBe(0);
    // The call itself stays in the record.
    expect((await t.request('GET', `/api/calls/${callId}`)).status).toBe(200);
  });

  it('keeps narrative entries by author in order, each an incident.narrative event, and refuses blank text and observers', async () => {
    const crew = incident.assignments[0].unitId.toLowerCase();
    const a = await t.request('POST', `/api/incidents/${incident.id}/narrative`, { text: 'Caller says patient is breathing' });
    expect(a.status).toBe(201);
    const b = await t.request('POST', `/api/incidents/${incident.id}/narrative`, { text: 'Gate code 4411' }, await t.signIn(crew));
    expect(b.status).toBe(201);
    const list = (await t.request('GET', `/api/incidents/${incident.id}/narrative`)).body;
    expect(list.map((e: { author: string; text: string }) => [e.author, e.text])).toEqual([
      ['commander', 'Caller says patient is breathing'],
      [crew, 'Gate code 4411'],
    ]);
    const events = await t.ds.query(`SELECT actor, payload->>'text' AS text FROM incident_event WHERE incident_id = $1 AND type = 'incident.narrative' ORDER BY id`, [incident.id]);
    expect(events).toEqual([
      { actor: 'commander', text: 'Caller says patient is breathing' },
      { actor: crew, text: 'Gate code 4411' },
    ]);
    for (const body of [{ text: '   ' }, {}, { text: 'x'.repeat(2001) }]) {
      const r = await t.request('POST', `/api/incidents/${incident.id}/narrative`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain('text');
    }
    expect((await t.request('POST', `/api/incidents/${incident.id}/narrative`, { text: 'hi' }, await t.signIn('observer'))).status).toBe(403);
    expect((await t.request('GET', `/api/incidents/${incident.id}/narrative`)).body).toHaveLength(2);
  });

  it('asks the questions of the call type without holding a P1\'s dispatch, keeps the answers on the call for dispatchers and crews', async () => {
    const medical = (await t.request('GET', '/api/call-taking/questions?type=Medical%20Incident')).body;
    expect(medical.questions.map((q: { id: string }) => q.id)).toEqual(['conscious', 'breathing', 'age']);
    expect((await t.request('GET', '/api/call-taking/questions?type=Odor%20%28Strange%20%2F%20Unknown%29')).body.questions.map((q: { id: string }) => q.id)).toEqual(['safe']);
    const noType = await t.request('GET', '/api/call-taking/questions');
    expect(noType.status).toBe(400);
    expect(JSON.stringify(noType.body.message)).toContain('type');

    // A P1 is dispatched as soon as it is placed: no question is waited for.
    const p1 = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7990, lon: -122.4100 });
    const dispatched = await t.incidentOf(p1.body.id);
    expect(dispatched.assignments.length).toBeGreaterThan(0);
    expect(await t.ds.query(`SELECT 1 FROM call_answer WHERE call_id = $1`, [p1.body.id])).toEqual([]);

    const put = await t.request('PUT', `/api/calls/${p1.body.id}/answers`, { answers: [{ questionId: 'conscious', answer: 'no' }, { questionId: 'breathing', answer: ' yes, snoring ' }] });
    expect(put.status).toBe(200);
    await t.request('PUT', `/api/calls/${p1.body.id}/answers`, { answers: [{ questionId: 'conscious', answer: 'now awake' }] });
    const expected = [
      expect.objectContaining({ questionId: 'breathing', answer: 'yes, snoring', answeredBy: 'commander' }),
      expect.objectContaining({ questionId: 'conscious', answer: 'now awake' }),
    ];
    expect((await t.request('GET', `/api/incidents/${dispatched.id}/answers`)).body).toEqual(expected);
    const crew = await t.signIn(dispatched.assignments[0].unitId.toLowerCase());
    expect((await t.request('GET', `/api/incidents/${dispatched.id}/answers`, undefined, crew)).body).toEqual(expected);
    expect((await t.request('GET', `/api/incidents/${dispatched.id}/answers`, undefined, await t.signIn('observer'))).status).toBe(403);

    for (const [body, field] of [
      [{ answers: [{ questionId: 'floor', answer: '3rd' }] }, 'answers[0].questionId'],
      [{ answers: [] }, 'answers'],
      [{ answers: [{ questionId: 'age', answer: '   ' }] }, 'answer'],
      [{}, 'answers'],
    ] as const) {
      const r = await t.request('PUT', `/api/calls/${p1.body.id}/answers`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain(field);
    }
    expect((await t.request('GET', `/api/incidents/${dispatched.id}/answers`)).body).toHaveLength(2);
  });

  it('closes only with a disposition code from the list, naming dispositionCode otherwise', async () => {
    const codes = (await t.request('GET', '/api/dispositions')).body.codes;
    expect(codes).toContain('FALSE-ALARM');
    const t0 = Date.now();
    for (const [k, status] of (['acknowledged', 'en_route', 'on_scene', 'cleared'] as const).entries()) {
      for (const a of incident.assignments) await t.request('PATCH', `/api/assignments/${a.id}`, { status, at: new Date(t0 + (k + 1) * 1000).toISOString() });
    }
    for (const body of [{}, { disposition: 'all good' }, { dispositionCode: 'ALL-GOOD' }, { dispositionCode: '  ' }]) {
      const r = await t.request('POST', `/api/incidents/${incident.id}/close`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain('dispositionCode');
    }
    expect((await t.request('GET', `/api/incidents/${incident.id}`)).body.status).toBe('resolved');
    const closed = await t.request('POST', `/api/incidents/${incident.id}/close`, { dispositionCode: 'false-alarm', disposition: ' smoke from a barbecue ' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', disposition: 'FALSE-ALARM: smoke from a barbecue' });
  });
});
