import { startTestApp, TestApp } from '../testing/test-app';
import { DrillService } from './drill.service';

/** The commander's token (set once the app is up): every request of this file is signed in. */
let token = '';
const fetch = (url: string, init: RequestInit = {}) =>
  globalThis.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

const post = (url: string, body?: unknown, method = 'POST') =>
  fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('drill runs are deterministic and the clock obeys pause, resume, speed and stop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drill-determinism');
    token = t.token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('the same scenario, policy and seed give the same event log at max speed, per-incident (nearest) and in dispatch rounds (optimised); another policy is recorded', async () => {
    const drills = t.app.get(DrillService);
    const run = async (policy: string, seed: number) => {
      const r = await (await post(`${t.url}/api/drills`, { day: '2017-01-03', speed: 'max', policy, seed, limit: 25 })).json();
      return drills.whenDone(r.id);
    };
    const a = await run('nearest', 42);
    const b = await run('nearest', 42);
    expect(a.state).toBe('finished');
    expect(a.events).toBeGreaterThan(50);
    expect(b.eventLogHash).toBe(a.eventLogHash);
    expect(await drills.eventLog(b.id)).toEqual(await drills.eventLog(a.id));
    const c = await run('optimised', 42);
    expect(c.policy).toBe('optimised');
    // Under `optimised` the worker dispatches in rounds (every waiting incident of the drill's world at
    // once, bounded by a count): the same drill twice gives the same event log too.
    const c2 = await run('optimised', 42);
    expect(c2.state).toBe('finished');
    expect(c2.eventLogHash).toBe(c.eventLogHash);
    expect(await drills.eventLog(c2.id)).toEqual(await drills.eventLog(c.id));
    const [{ undecided }] = await t.ds.query(`SELECT count(*) FILTER (WHERE decided_revision IS NULL)::int AS undecided FROM incident WHERE drill_id = $1`, [c.id]);
    expect(undecided).toBe(0);
    const cmp = await (await fetch(`${t.url}/api/drills/${a.id}/report.json?compare=${c.id}`)).json();
    expect(cmp.comparison.a.policy).toBe('nearest');
    expect(cmp.comparison.b.policy).toBe('optimised');
    expect(cmp.comparison.metrics.totalResponse.a.n).toBeGreaterThan(0);
    // Another seed draws other turnout times.
    const d = await run('nearest', 43);
    expect(d.eventLogHash).not.toBe(a.eventLogHash);
  }, 240_000);

  it('pauses, changes speed, resumes and stops a paced drill', async () => {
    const r = await (await post(`${t.url}/api/drills`, { day: '2017-01-02', speed: 30 })).json();
    expect(r.state).toBe('running');
    const conflict = await post(`${t.url}/api/drills`, { day: '2017-01-02', speed: 30 });
    expect(conflict.status).toBe(409);
    const paused = await (await post(`${t.url}/api/drills/${r.id}/pause`)).json();
    expect(paused.state).toBe('paused');
    const clock1 = (await (await fetch(`${t.url}/api/state`)).json()).clock;
    expect(clock1).toMatchObject({ paused: true, drill: r.id });
    const faster = await (await post(`${t.url}/api/drills/${r.id}`, { speed: 600 }, 'PATCH')).json();
    expect(faster.speed).toBe(600);
    expect((await post(`${t.url}/api/drills/${r.id}/pause`)).status).toBe(409);
    const resumed = await (await post(`${t.url}/api/drills/${r.id}/resume`)).json();
    expect(resumed.state).toBe('running');
    const stopped = await (await post(`${t.url}/api/drills/${r.id}/stop`)).json();
    expect(stopped.state).toBe('stopped');
    expect(stopped.finishedAt).not.toBeNull();
    const state = (await (await fetch(`${t.url}/api/drills/${r.id}`)).json()).state;
    expect(state).toBe('stopped');
  });
});
