import { callBody, realCalls } from '@cad/db/testing';
import type { ClosureGeometry } from '@cad/routing';
import { ClosuresService } from '../closures/closures.service';
import { startTestApp, TestApp } from '../testing/test-app';
import { findUnpairedSurrogate } from './unpaired-surrogates';

/** A closed block in North Beach (the hostile tester's), `[lon, lat]`. */
const BLOCK: ClosureGeometry = { type: 'LineString', coordinates: [[-122.4096, 37.7999], [-122.409, 37.799]] };
/** Half an emoji (the high surrogate of 🚒, U+1F692), alone. */
const HALF = 'x\ud83d';
/** A whole emoji: a surrogate pair, which is valid text. */
const ENGINE = 'engine 🚒 on scene';

/**
 * What a hostile tester saw: a lone UTF-16 surrogate in free text (JSON `"x\ud83d"`) answered 500, since
 * PostgreSQL's jsonb (the event log) refuses it; a road closure was stored and in force anyway, with no
 * `road.closed` event (consoles never drew it) and no re-routing. Now any body (or query) holding one
 * answers 400 naming the field before a handler runs, and nothing is stored; a whole emoji is accepted
 * and stored intact. The closure's row and event are one transaction: an event that cannot be written
 * leaves no closure.
 */
describe('a lone UTF-16 surrogate in free text', () => {
  let t: TestApp;
  let incidentId: string;
  beforeAll(async () => {
    t = await startTestApp('lonesurrogate');
    const { callNumber: _own, ...body } = callBody(realCalls()[0]);
    const call = await t.request('POST', '/api/calls', body);
    expect(call.status).toBe(202);
    incidentId = (await t.incidentOf(call.body.id)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].n);
  const closures = () => count(`SELECT count(*) AS n FROM road_closure`);
  const events = () => count(`SELECT count(*) AS n FROM incident_event`);
  const incidentRow = async () => (await t.ds.query(`SELECT lat, lon, commanding_tier, revision FROM incident WHERE id = $1`, [incidentId]))[0];
  const narrativeCount = () => count(`SELECT count(*) AS n FROM incident_event WHERE type = 'incident.narrative' AND incident_id = $1`, [incidentId]);
  const assignments = () => count(`SELECT count(*) AS n FROM assignment WHERE incident_id = $1`, [incidentId]);

  /** Each endpoint and body the tester sent, with the field path the 400 must name. */
  const refused: [string, () => string, Record<string, unknown>, string][] = [
    ['POST /api/road-closures', () => '/api/road-closures', { geometry: BLOCK, reason: `a${HALF}` }, 'reason'],
    ['escalate', () => `/api/incidents/${incidentId}/escalate`, { reason: HALF }, 'reason'],
    ['narrative', () => `/api/incidents/${incidentId}/narrative`, { text: HALF }, 'text'],
    ['resource-requests (reason)', () => `/api/incidents/${incidentId}/resource-requests`, { capabilities: ['engine'], reason: HALF }, 'reason'],
    ['resource-requests (in a list)', () => `/api/incidents/${incidentId}/resource-requests`, { capabilities: ['engine', `engine\udc00`], reason: 'more' }, 'capabilities[1]'],
    ['location', () => `/api/incidents/${incidentId}/location`, { lat: 37.8031, lon: -122.4561, reason: HALF }, 'reason'],
    ['location (a low surrogate first)', () => `/api/incidents/${incidentId}/location`, { lat: 37.8031, lon: -122.4561, reason: '\ude92\ud83d' }, 'reason'],
  ];

  it.each(refused)('%s answers 400 naming the field and stores nothing', async (_name, path, body, field) => {
    const before = { closures: await closures(), events: await events(), incident: await incidentRow(), narrative: await narrativeCount(), assignments: await assignments() };
    const res = await t.request('POST', path(), body);
    expect(res.status).toBe(400);
    const message = JSON.stringify(res.body.message);
    expect(message).toContain(`${field} must not contain an unpaired UTF-16 surrogate`);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(await closures()).toBe(before.closures);
    expect(await events()).toBe(before.events);
    expect(await incidentRow()).toEqual(before.incident);
    expect(await narrativeCount()).toBe(before.narrative);
    expect(await assignments()).toBe(before.assignments);
  });

  it('a lone surrogate in a nested object names its path; a key holding one is refused; whole pairs pass', () => {
    expect(findUnpairedSurrogate({ assignments: [{}, {}, { note: 'ok' }, { note: HALF }] })).toMatchObject({ path: 'assignments[3].note', unit: 0xd83d, index: 1 });
    expect(findUnpairedSurrogate({ firstAlarm: { [`engine${HALF}`]: 1 } })).toMatchObject({ path: 'firstAlarm', inKey: true });
    expect(findUnpairedSurrogate({ text: ENGINE, list: ['🚑', { a: '👩‍🚒' }] })).toBeNull();
  });

  it('a query string carrying a surrogate encoded as UTF-8 bytes reads as U+FFFD, never a lone surrogate, and is answered', async () => {
    // UTF-8 has no encoding of a lone surrogate: its CESU bytes decode to U+FFFD, so a query cannot carry
    // one over HTTP. The middleware checks the parsed query all the same (as it would name `include`).
    const res = await t.request('GET', '/api/road-closures?include=%ED%A0%BD');
    expect(res.status).toBe(200);
    expect(findUnpairedSurrogate({ include: HALF })).toMatchObject({ path: 'include' });
  });

  it('a whole emoji is accepted by each endpoint and stored intact', async () => {
    const closure = await t.request('POST', '/api/road-closures', { geometry: BLOCK, reason: ENGINE });
    expect(closure.status).toBe(201);
    expect((await t.ds.query(`SELECT reason FROM road_closure WHERE id = $1`, [closure.body.closure.id]))[0].reason).toBe(ENGINE);
    const [closed] = await t.ds.query(`SELECT payload->>'reason' AS reason FROM incident_event WHERE type = 'road.closed' AND payload->>'id' = $1`, [closure.body.closure.id]);
    expect(closed.reason).toBe(ENGINE);

    const narrative = await t.request('POST', `/api/incidents/${incidentId}/narrative`, { text: ENGINE });
    expect(narrative.status).toBe(201);
    expect((await t.request('GET', `/api/incidents/${incidentId}/narrative`)).body.map((e: { text: string }) => e.text)).toContain(ENGINE);

    const requested = await t.request('POST', `/api/incidents/${incidentId}/resource-requests`, { capabilities: ['engine'], reason: ENGINE });
    expect(requested.status).toBe(201);
    const moved = await t.request('POST', `/api/incidents/${incidentId}/location`, { lat: 37.8031, lon: -122.4561, reason: ENGINE });
    expect(moved.status).toBe(200);
    const escalated = await t.request('POST', `/api/incidents/${incidentId}/escalate`, { reason: ENGINE });
    expect(escalated.status).toBe(200);
    const texts: { type: string; text: string }[] = await t.ds.query(
      `SELECT type, COALESCE(payload->>'detail', payload->>'reason') AS text FROM incident_event
        WHERE incident_id = $1 AND type IN ('incident.resources_requested', 'incident.location_changed', 'incident.escalated')`,
      [incidentId],
    );
    for (const type of ['incident.resources_requested', 'incident.location_changed', 'incident.escalated']) {
      expect(texts.filter((e) => e.type === type).map((e) => e.text)).toContain(ENGINE);
    }
  });

  it('a closure whose road.closed event cannot be written stores no closure and closes no road', async () => {
    // Past the HTTP check (a caller inside the process): PostgreSQL's jsonb refuses the lone surrogate.
    const service = t.app.get(ClosuresService);
    const before = await closures();
    const reroutedBefore = await count(`SELECT count(*) AS n FROM incident_event WHERE type = 'assignment.rerouted'`);
    await expect(service.create(BLOCK, `a${HALF}`, null, 'test')).rejects.toThrow(/surrogate|Unicode|json/i);
    expect(await closures()).toBe(before);
    expect((await t.request('GET', '/api/road-closures')).body.map((c: { reason: string }) => c.reason)).not.toContain('a\ufffd');
    expect(await count(`SELECT count(*) AS n FROM incident_event WHERE type = 'assignment.rerouted'`)).toBe(reroutedBefore);
  });
});
