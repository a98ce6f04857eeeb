import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * Two drills of different days run at once, each in its own world on its own clock: neither sees the
 * other's units, so each gives exactly the event log it gives when run alone, the same unit id is
 * busy in both worlds at the same moment, and a third start of a day already running is refused.
 */
describe('two drills of different days at once never share units', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('two-drill-worlds');
  });
  afterAll(async () => {
    await t.close();
  });

  const start = async (day: string, seed: number) => {
    const r = await t.request('POST', '/api/drills', { day, speed: 'max', policy: 'nearest', seed, limit: 25 });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };

  it('each drill alone and both at once give the same event logs, with one unit id busy in both worlds', async () => {
    const drills = t.app.get(DrillService);
    const aloneA = await drills.whenDone(await start('2017-01-01', 5));
    const aloneB = await drills.whenDone(await start('2017-01-02', 6));
    expect(aloneA.state).toBe('finished');
    expect(aloneB.state).toBe('finished');

    const a = await start('2017-01-01', 5);
    const b = await start('2017-01-02', 6);
    // The same day again while it runs is a double start: refused, naming the running drill.
    const again = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', limit: 25 });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain(a);
    // While both run, each has its own fleet, and some unit id is busy in both at once.
    let shared: string | undefined;
    const sample = async () => {
      const rows: { unit_id: string }[] = await t.ds.query(
        `SELECT unit_id FROM assignment WHERE status <> 'cleared' AND world = ANY($1) GROUP BY unit_id HAVING count(DISTINCT world) = 2`,
        [[a, b]],
      );
      shared ??= rows[0]?.unit_id;
      const [w] = await t.ds.query(`SELECT count(DISTINCT world)::int AS n FROM unit WHERE world = ANY($1)`, [[a, b]]);
      return w.n;
    };
    expect(await waitFor(async () => ((await sample()) === 2 ? true : undefined), 30000, 'both worlds')).toBe(true);
    for (let i = 0; i < 200 && !shared && (drills.has(a) && (await drills.viewOf(a)).state === 'running'); i++) {
      await sample();
      await new Promise((r) => setTimeout(r, 25));
    }
    const [doneA, doneB] = await Promise.all([drills.whenDone(a), drills.whenDone(b)]);
    expect(doneA.state).toBe('finished');
    expect(doneB.state).toBe('finished');
    // Neither drill's allocation saw the other's units or incidents: each log is the one it gives alone.
    expect(doneA.eventLogHash).toBe(aloneA.eventLogHash);
    expect(doneB.eventLogHash).toBe(aloneB.eventLogHash);
    expect(shared).toMatch(/^[A-Z]+\d+/);
    // Every task and event names its incident's world; both worlds are gone once the drills ended.
    const [mixed] = await t.ds.query(
      `SELECT count(*)::int AS n FROM assignment x JOIN incident i ON i.id = x.incident_id WHERE x.world <> COALESCE(i.drill_id, 'live')`,
    );
    expect(mixed.n).toBe(0);
    const [left] = await t.ds.query(`SELECT count(*)::int AS n FROM unit WHERE world <> 'live'`);
    expect(left.n).toBe(0);
    // A drill's units are listed only when asked for by world; a bad world is named in the 400.
    expect((await t.request('GET', '/api/units')).body.every((u: { world: string }) => u.world === 'live')).toBe(true);
    const bad = await t.request('GET', '/api/units?world=other;drop');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('world');
  }, 600000);
});
