import { ClusterThrottlerStorage } from './throttler-storage';

/**
 * The throttler's storage: two API nodes (two storages on one Redis and prefix) count one shared
 * limit; another prefix (another deployment or test) counts apart; and while Redis does not answer a
 * node still limits on its own count instead of refusing or letting everything through.
 */
describe('sign-in limit counters: shared by nodes in Redis, local while Redis is down', () => {
  const prefix = `cadtest:${process.env.CAD_TEST_RUN}:throttle-storage:${process.pid}`;
  const stores: ClusterThrottlerStorage[] = [];
  const make = (url: string, p = prefix) => {
    const s = new ClusterThrottlerStorage(url, p);
    stores.push(s);
    return s;
  };
  const ready = async (s: ClusterThrottlerStorage) => {
    for (let k = 0; k < 100 && (s as unknown as { redis: { status: string } }).redis.status !== 'ready'; k++) await new Promise((r) => setTimeout(r, 50));
  };
  afterAll(() => stores.forEach((s) => s.onApplicationShutdown()));

  it('two nodes share one count; another prefix counts apart', async () => {
    const [a, b, other] = [make(process.env.REDIS_URL!), make(process.env.REDIS_URL!), make(process.env.REDIS_URL!, `${prefix}:other`)];
    await Promise.all([a, b, other].map(ready));
    const hits = [];
    for (let k = 0; k < 4; k++) hits.push(await (k % 2 ? b : a).increment('127.0.0.1:d3', 60_000, 3, 60_000, 'signin'));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect((await b.increment('127.0.0.1:d3', 60_000, 3, 60_000, 'signin')).isBlocked).toBe(true);
    expect((await other.increment('127.0.0.1:d3', 60_000, 3, 60_000, 'signin')).totalHits).toBe(1);
    expect((await a.increment('127.0.0.1:d4', 60_000, 3, 60_000, 'signin')).isBlocked).toBe(false);
  });

  it('while Redis does not answer, a node counts and limits on its own', async () => {
    const down = make('redis://127.0.0.1:1');
    const hits = [];
    for (let k = 0; k < 4; k++) hits.push(await down.increment('127.0.0.1:d3', 60_000, 3, 60_000, 'signin'));
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, true]);
  });
});
