import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: an exercise call naming a finished drill was accepted (202) and made
 * an orphan exercise incident no drill world ever ran, retried forever. Now an exercise call is taken
 * only while its drill runs (or is paused); a finished, stopped or failed one answers 409 naming
 * `drillId` and stores nothing.
 */
describe('an exercise call naming a drill that is over', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drillover');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (drillId: string) => ({ type: 'Medical Incident', priority: 2, lat: 37.8055, lon: -122.4203, exercise: true, drillId, receivedAt: '2017-01-01T12:00:00Z' });
  const calls = async (drillId: string) => Number((await t.ds.query('SELECT count(*) AS n FROM call WHERE drill_id = $1', [drillId]))[0].n);

  it.each(['finished', 'stopped', 'failed'])('is refused with 409 naming drillId when the drill is %s, and stores nothing', async (state) => {
    const drillId = `drill-2017-01-01-${state}`;
    await t.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at, finished_at) VALUES ($1, 'nearest', $2, '{}'::jsonb, now(), now())`, [drillId, state]);
    const res = await t.request('POST', '/api/calls', call(drillId));
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).toContain('drillId');
    expect(JSON.stringify(res.body)).toContain(state);
    expect(await calls(drillId)).toBe(0);
  });

  it('is taken while the drill runs', async () => {
    const drillId = 'drill-2017-01-01-running';
    await t.ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, 'nearest', 'running', '{}'::jsonb, now())`, [drillId]);
    const res = await t.request('POST', '/api/calls', call(drillId));
    expect(res.status).toBe(202);
    expect(await calls(drillId)).toBe(1);
  });
});
