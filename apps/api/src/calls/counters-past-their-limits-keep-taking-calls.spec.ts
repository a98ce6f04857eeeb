import { callBody, realCalls } from '@cad/db/testing';
import { DispatchService } from '../dispatch/dispatch.service';
import { IncidentIntakeService } from '../intake/incident-intake.service';
import { startTestApp, TestApp } from '../testing/test-app';

const INT4_MAX = 2 ** 31 - 1;

/**
 * Counters never cap: with the call number sequence at C-999950, every unit's version, the event log's
 * positions and ids and an incident's revision just under 2^31 (an int4's limit), 100 more calls are
 * all accepted with distinct numbers that grow past six digits (C-1000000, never a truncated C-100000),
 * and dispatch, the event log and a reopen carry on past 2^31. A generated number a caller had already
 * used for its own call is skipped, not answered with a 500.
 */
describe('counters seeded near their limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No worker in the process: acceptance is what is measured, and intake and dispatch are driven by hand.
    t = await startTestApp('counters', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A real call posted live without a call number (the server generates one). */
  const calls = realCalls();
  const post = (i: number) => {
    const { callNumber: _own, ...body } = callBody(calls[i % calls.length]);
    return t.request('POST', '/api/calls', body);
  };
  const numberOf = async (id: string) => ((await t.ds.query('SELECT call_number FROM call WHERE id = $1', [id])) as { call_number: string }[])[0].call_number;

  it('takes 100 more calls with distinct, untruncated numbers while every counter passes 2^31', async () => {
    await t.ds.query(`SELECT setval('call_number_seq', 999950)`);
    await t.ds.query('UPDATE unit SET version = $1', [INT4_MAX]);
    await t.ds.query(`ALTER SEQUENCE incident_event_id_seq RESTART WITH ${INT4_MAX - 2}`);
    await t.ds.query(
      `INSERT INTO incident_event (seq, type, jurisdiction_ids, at, actor, payload) VALUES ($1, 'road.closed', '{sf}', now(), 'test', '{}')`,
      [INT4_MAX - 2],
    );

    const answers: { status: number; body: { id: string } }[] = [];
    for (let batch = 0; batch < 20; batch++) answers.push(...(await Promise.all(Array.from({ length: 5 }, (_, k) => post(batch * 5 + k)))));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(202));
    const ids = answers.map((a) => a.body.id);
    expect(new Set(ids).size).toBe(100);
    const numbers = await Promise.all(ids.map(numberOf));
    expect(new Set(numbers).size).toBe(100);
    for (const n of numbers) expect(n).toMatch(/^C-\d{6,}$/);
    expect(numbers.map((n) => Number(n.slice(2))).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => 999951 + k));
    expect(numbers).toContain('C-999999');
    expect(numbers).toContain('C-1000000');

    // A unit dispatched moves its version past an int4's limit; events go on past 2^31.
    const intake = t.app.get(IncidentIntakeService);
    const dispatch = t.app.get(DispatchService);
    const placed = await intake.intake(ids[0]);
    const sent = await dispatch.dispatch(placed.incidentId, placed.revision);
    expect(sent.dispatched.length).toBeGreaterThan(0);
    const [unit] = await t.ds.query('SELECT version::text AS v FROM unit WHERE id = $1', [sent.dispatched[0].unitId]);
    expect(BigInt(unit.v)).toBeGreaterThan(BigInt(INT4_MAX));
    const state = await t.request('GET', '/api/state');
    expect(state.body.lastSeq).toBeGreaterThan(INT4_MAX);
    const [ev] = await t.ds.query('SELECT max(id)::text AS id FROM incident_event');
    expect(BigInt(ev.id)).toBeGreaterThan(BigInt(INT4_MAX));

    // An incident's revision (and its dispatch and deadlines) past 2^31: cancel, reopen, dispatch again.
    await t.ds.query('UPDATE incident SET revision = $1 WHERE id = $2', [INT4_MAX - 1, placed.incidentId]);
    expect((await t.request('POST', `/api/incidents/${placed.incidentId}/cancel`, { disposition: 'counter test' })).status).toBe(200);
    const reopened = await t.request('POST', `/api/incidents/${placed.incidentId}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.revision).toBe(INT4_MAX + 1);
    // A reopened incident is held until a dispatcher confirms it (the confirmation keeps the revision).
    expect((await t.request('POST', `/api/incidents/${placed.incidentId}/confirm-dispatch`)).status).toBe(200);
    const again = await dispatch.dispatch(placed.incidentId, INT4_MAX + 1);
    expect(again.skipped).toBe(false);
    const view = await t.request('GET', `/api/incidents/${placed.incidentId}`);
    expect(view.status).toBe(200);
    expect(view.body.revision).toBe(INT4_MAX + 1);
    expect(view.body.status).toBe('dispatched');
    const deadlines: { revision: string }[] = await t.ds.query(`SELECT revision::text FROM deadline WHERE incident_id = $1 AND state = 'pending'`, [placed.incidentId]);
    expect(deadlines.length).toBeGreaterThan(0);
    for (const d of deadlines) expect(d.revision).toBe(String(INT4_MAX + 1));
  }, 300_000);

  it('skips a generated call number a caller already used and accepts the call', async () => {
    await t.ds.query(`SELECT setval('call_number_seq', 5000)`);
    // Two callers sent, as their own numbers, exactly the next two the server would generate.
    for (const [k, own] of ['C-005001', 'C-005002'].entries()) {
      const r = await t.request('POST', '/api/calls', callBody(calls[k], { callNumber: own }));
      expect(r).toMatchObject({ status: 202, body: { duplicate: false } });
    }
    const r = await post(2);
    expect(r.status).toBe(202);
    expect(await numberOf(r.body.id)).toBe('C-005003');
    // The callers' own calls are untouched, and repeating one is still the same call, not a new one.
    const again = await t.request('POST', '/api/calls', callBody(calls[0], { callNumber: 'C-005001' }));
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
  }, 120_000);

  it('a call number sequence at its bigint end answers 503 (retry) and stores nothing; calls with their own number go on', async () => {
    await t.ds.query(`SELECT setval('call_number_seq', 9223372036854775807)`);
    const [{ n: before }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    const r = await post(3);
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(/maximum value of sequence/);
    const [{ n: after }] = await t.ds.query('SELECT count(*)::int AS n FROM call');
    expect(after).toBe(before);
    const own = await t.request('POST', '/api/calls', callBody(calls[4], { callNumber: 'C-OWN-1' }));
    expect(own.status).toBe(202);
  }, 120_000);
});
