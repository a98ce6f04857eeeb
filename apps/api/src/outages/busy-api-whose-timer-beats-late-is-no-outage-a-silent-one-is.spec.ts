import { QueryRunner } from 'typeorm';
import { OUTAGE_LOCK } from './outages.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Under a load average above 20 one busy API process's timer beats came more than `OUTAGE_GAP_S`
 * apart while it was answering, and a false outage was recorded. Here the timer's beat is held back
 * the way load holds it (its transaction waits for the outage lock, held by another session) for
 * twice the gap: an API that answers and commits calls meanwhile records no outage (its answers
 * refresh its beat); an API that answers nothing in the same gap records one, and an answer after
 * the gap (a frozen process waking up) does not bridge it.
 */
describe('an API process whose timer beats come late', () => {
  const HOLD_MS = 5000;
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp('outage-busy', { OUTAGE_HEARTBEAT_S: '1', OUTAGE_GAP_S: '2.5', OUTAGE_GRACE_S: '2' });
    await waitFor(async () => ((await api.ds.query(`SELECT 1 FROM heartbeat WHERE role = 'api'`)).length ? true : null), 10000, 'the first heartbeat');
  });
  afterAll(async () => {
    await api.close();
  });

  /** Holds the outage lock for `HOLD_MS` (running `during` meanwhile), checks a timer beat really waited, then releases it. */
  async function holdBeats(during: (until: number) => Promise<void>): Promise<{ from: Date; to: Date }> {
    const qr: QueryRunner = api.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query(`SELECT pg_advisory_xact_lock($1)`, [OUTAGE_LOCK]);
      const [{ now: from }]: { now: Date }[] = await api.ds.query(`SELECT now()`);
      await during(Date.now() + HOLD_MS);
      const waiting: { n: number }[] = await api.ds.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
        [OUTAGE_LOCK],
      );
      expect(waiting[0].n).toBeGreaterThan(0);
      const [{ now: to }]: { now: Date }[] = await api.ds.query(`SELECT now()`);
      await qr.commitTransaction();
      return { from, to };
    } finally {
      await qr.release();
    }
  }

  /** Waits until a timer beat has run after `after` (the one that was held back has decided). */
  const beatAfter = (after: Date) =>
    waitFor(async () => {
      const [r]: { n: number }[] = await api.ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`, [OUTAGE_LOCK]);
      const [b]: { at: Date }[] = await api.ds.query(`SELECT max(beat_at) AS at FROM heartbeat WHERE role = 'api'`);
      return r.n === 0 && b.at > after ? true : null;
    }, 10000, 'the held-back beat to run');

  it('records no outage when the API answered and committed calls through the gap', async () => {
    const callIds: string[] = [];
    const { from, to } = await holdBeats(async (until) => {
      while (Date.now() < until) {
        const r = await api.request('POST', '/api/calls', { type: 'Medical Incident', priority: 3, lat: 37.7935, lon: -122.4045 });
        expect(r.status).toBe(202);
        callIds.push(r.body.id);
        await new Promise((res) => setTimeout(res, 300));
      }
    });
    await beatAfter(to);
    // The work was committed during the gap, and the gap was longer than OUTAGE_GAP_S.
    expect((to.getTime() - from.getTime()) / 1000).toBeGreaterThan(2.5);
    const [{ n }]: { n: number }[] = await api.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND created_at BETWEEN $2 AND $3`, [callIds, from, to]);
    expect(n).toBeGreaterThan(5);
    expect((await api.request('GET', '/api/outages')).body).toEqual([]);
  });

  it('records the gap as an outage when the API answered nothing through it, even if it answers at the end', async () => {
    const [{ last }]: { last: Date }[] = await api.ds.query(`SELECT max(beat_at) AS last FROM heartbeat WHERE role = 'api'`);
    const { to } = await holdBeats(async (until) => {
      await new Promise((res) => setTimeout(res, until - Date.now()));
      // Silent for twice the gap, then an answer (a frozen process waking up): it does not bridge the gap.
      expect((await api.request('GET', '/api/outages')).status).toBe(200);
      await new Promise((res) => setTimeout(res, 300));
    });
    await beatAfter(to);
    const outages = (await api.request('GET', '/api/outages')).body;
    expect(outages).toHaveLength(1);
    expect(outages[0].endedAt).not.toBeNull();
    expect(outages[0].detectedBy).toMatch(/^api-/);
    expect(outages[0].seconds).toBeGreaterThan(2.5);
    // It starts at the last beat before the gap, not later.
    expect(new Date(outages[0].startedAt).getTime()).toBeLessThanOrEqual(last.getTime() + 1500);
  });
});
