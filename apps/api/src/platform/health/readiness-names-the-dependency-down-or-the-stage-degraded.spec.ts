import { startTestApp, TestApp } from '../../testing/test-app';
import { DataSource, QueryRunner } from 'typeorm';
import { DegradedRegistry } from './degraded.registry';

/**
 * Readiness with terminus: `200 ok` when Postgres and Redis answer; `200 degraded` naming each stage a
 * detector reports (a load balancer keeps sending calls); back to `ok` when cleared. Hostile twins: a
 * report whose detector died lapses after its TTL; a probe that throws names its failure instead of
 * breaking readiness; a report repeated keeps its first time; every pooled connection busy (as for a few
 * seconds after an outage) is not an unreachable database: readiness asks on its own connection and shows
 * the pool's occupancy. (The dependency-down `503` answers are proven
 * by `faults/postgres-outage-503-then-recovers.spec.ts` and `faults/redis-restart-...spec.ts`.)
 */
describe('health: readiness names the dependency down or the stage degraded', () => {
  let t: TestApp;
  let registry: DegradedRegistry;
  beforeAll(async () => {
    t = await startTestApp('health');
    registry = t.app.get(DegradedRegistry);
  });
  afterAll(async () => {
    await t.close();
  });

  const ready = () => t.request('GET', '/api/health/ready', undefined, null);

  it('answers live and ready without a token, with each dependency up and terminus details', async () => {
    expect(await t.request('GET', '/api/health/live', undefined, null)).toEqual({ status: 200, body: { status: 'ok' } });
    const r = await t.request('GET', '/api/health', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', postgres: 'up', redis: 'up', down: [], degraded: [], details: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('stays 200 while a stage is degraded, naming it, and is ok again once cleared', async () => {
    registry.report('intake', 'event relay held back 40 s at seq 1234');
    const first = await ready();
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('degraded');
    expect(first.body.degraded).toEqual([{ stage: 'intake', reason: 'event relay held back 40 s at seq 1234', since: expect.any(String) }]);
    await new Promise((r) => setTimeout(r, 20));
    registry.report('intake', 'event relay held back 60 s at seq 1234');
    const again = await ready();
    expect(again.body.degraded[0]).toMatchObject({ reason: 'event relay held back 60 s at seq 1234', since: first.body.degraded[0].since });
    registry.clear('intake');
    expect((await ready()).body).toMatchObject({ status: 'ok', degraded: [] });
  });

  it("a report lapses after its TTL (a detector that died), and a probe's failure is named, not thrown", async () => {
    registry.report('dispatch', 'round behind', 1);
    expect((await ready()).body.degraded.map((d: { stage: string }) => d.stage)).toEqual(['dispatch']);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await ready()).body).toMatchObject({ status: 'ok', degraded: [] });
    let reason: string | null = 'two calls waiting over 30 s';
    registry.register('queue', () => reason);
    registry.register('broken', () => {
      throw new Error('detector crashed');
    });
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.degraded).toEqual([
      { stage: 'broken', reason: 'probe failed: detector crashed', since: expect.any(String) },
      { stage: 'queue', reason: 'two calls waiting over 30 s', since: expect.any(String) },
    ]);
    reason = null;
    registry.register('broken', () => null);
    expect((await ready()).body.status).toBe('ok');
  });

  it('a pool with every connection busy and requests waiting is still a reachable database, its occupancy shown', async () => {
    const ds = t.app.get(DataSource);
    const max = (ds.options.extra as { max: number }).max;
    // One more holder than the pool has connections: every connection busy and at least one request waiting.
    const holders = Array.from({ length: max + 1 }, () => ds.createQueryRunner());
    const held = holders.map((qr) => qr.connect().then(() => qr));
    try {
      let r = await ready();
      for (let i = 0; i < 50 && !(r.body.details.postgres.pool?.waiting >= 1); i++) r = await ready();
      expect(r.status).toBe(200);
      // Up, not down; the intake-stall check, which reads through the busy pool, is named as what could not finish.
      expect(r.body).toMatchObject({ status: 'degraded', postgres: 'up', down: [] });
      expect(r.body.degraded).toEqual([{ stage: 'intake-stall-check', reason: 'the intake-stall check did not finish within 1000 ms', since: expect.any(String) }]);
      expect(r.body.details.postgres.pool).toMatchObject({ total: max, idle: 0 });
      expect(r.body.details.postgres.pool.waiting).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(held.map((p) => p.then((qr: QueryRunner) => qr.release())));
    }
    const after = await ready();
    expect(after.body).toMatchObject({ status: 'ok', degraded: [] });
    expect(after.body.details.postgres.pool.waiting).toBe(0);
  });

  it('a burst of 600 readiness requests at once all answer PostgreSQL up (one check shared, none queued behind the rest)', async () => {
    const answers = await Promise.all(Array.from({ length: 600 }, () => ready()));
    const seen = answers.map((r) => `${r.status} ${r.body.postgres}`);
    expect(new Set(seen)).toEqual(new Set(['200 up']));
  });
});
