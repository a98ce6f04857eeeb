import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: a live call reusing a drill call's `callNumber` (same type and place)
 * answered `202 {duplicate: true}` with the drill call's id, and no live incident was made: the live call
 * was lost into the drill. A call number is an idempotency key per world now: a live call only ever
 * meets a live call's number, an exercise call only a call of its own drill run; and the comparison
 * ignores case (`c-000020` repeats `C-000020`), while the number is stored as sent.
 */
describe('call numbers are idempotency keys per world, ignoring case', () => {
  let t: TestApp;
  const drillId = 'drill-2017-01-01-numbers';
  const place = { type: 'Medical Incident', priority: 2, lat: 37.8055, lon: -122.4203 };
  const exercise = (callNumber: string) => ({ ...place, callNumber, exercise: true, drillId, receivedAt: '2017-01-01T12:00:00Z' });

  beforeAll(async () => {
    t = await startTestApp('callworld');
    await t.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, 'nearest', 'running', '{}'::jsonb, now())`, [drillId]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("a live call reusing a drill call's number is a new live call with a live incident", async () => {
    const drill = await t.request('POST', '/api/calls', exercise('D-4711'));
    expect(drill.status).toBe(202);
    expect(drill.body.duplicate).toBe(false);

    const live = await t.request('POST', '/api/calls', { ...place, callNumber: 'D-4711' });
    expect(live.status).toBe(202);
    expect(live.body.duplicate).toBe(false);
    expect(live.body.id).not.toBe(drill.body.id);
    const incident = await t.incidentOf(live.body.id, true);
    const [row] = await t.ds.query('SELECT exercise, drill_id FROM incident WHERE id = $1', [incident.id]);
    expect(row.exercise).toBe(false);
    const [call] = await t.ds.query('SELECT exercise, drill_id, call_number FROM call WHERE id = $1', [live.body.id]);
    expect(call).toEqual({ exercise: false, drill_id: null, call_number: 'D-4711' });

    // Hostile twin: the same live call again is a repeat of the live call, never of the drill's.
    const again = await t.request('POST', '/api/calls', { ...place, callNumber: 'D-4711' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id: live.body.id, duplicate: true });
  });

  it("a drill call's number reused within the same drill run is a repeat of that drill call", async () => {
    const first = await t.request('POST', '/api/calls', exercise('D-4712'));
    expect(first.status).toBe(202);
    const again = await t.request('POST', '/api/calls', exercise('D-4712'));
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id: first.body.id, duplicate: true });
    expect(Number((await t.ds.query(`SELECT count(*) AS n FROM call WHERE upper(call_number) = 'D-4712'`))[0].n)).toBe(1);
  });

  it('c-000020 after C-000020 is a repeat; with another type it is refused with 409 naming callNumber', async () => {
    const first = await t.request('POST', '/api/calls', { ...place, callNumber: 'C-900020' });
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    const lower = await t.request('POST', '/api/calls', { ...place, callNumber: 'c-900020' });
    expect(lower.status).toBe(202);
    expect(lower.body).toEqual({ id: first.body.id, duplicate: true });

    const other = await t.request('POST', '/api/calls', { ...place, type: 'Structure Fire', callNumber: 'c-900020' });
    expect(other.status).toBe(409);
    expect(JSON.stringify(other.body)).toContain('callNumber');

    // The number is stored as first sent, once.
    const rows = await t.ds.query(`SELECT call_number FROM call WHERE upper(call_number) = 'C-900020'`);
    expect(rows).toEqual([{ call_number: 'C-900020' }]);
  });
});
