import { sharedInFlight } from './shared-in-flight';

/**
 * A burst of callers shares one run (readiness under a burst of requests sends one `SELECT 1`), each gets
 * its result or its error, and the next call after it settles starts a new run. Hostile twins: a failed
 * run is not cached (the next call tries again); a caller arriving after the run settled is not handed
 * the old result.
 */
describe('sharedInFlight', () => {
  it('gives a burst one run and its result, and starts a new run after it settled', async () => {
    let runs = 0;
    let release!: (v: number) => void;
    const op = sharedInFlight(() => {
      runs++;
      return new Promise<number>((r) => (release = r));
    });
    const burst = Array.from({ length: 500 }, () => op());
    expect(runs).toBe(1);
    release(7);
    expect(await Promise.all(burst)).toEqual(Array(500).fill(7));
    const next = op();
    expect(runs).toBe(2);
    release(8);
    expect(await next).toBe(8);
  });

  it('hands every caller of a failed run its error, and the next call tries again', async () => {
    let runs = 0;
    const op = sharedInFlight(async (fail: boolean) => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('PostgreSQL did not answer');
      return 'up';
    });
    const burst = await Promise.allSettled([op(true), op(false), op(false)]);
    expect(burst.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(runs).toBe(1);
    expect(await op(false)).toBe('up');
    expect(runs).toBe(2);
  });
});
