import { createDataSource } from '@cad/db';
import { cloneTestDatabase } from '@cad/db/testing';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { EventSequencer, SEQUENCER_LOCK_KEY } from './event-sequencer';
import { EventsService } from './events.service';

/**
 * Three sequencers (three "processes": each its own connection pool) run at once while eight writers
 * append 600 events in transactions held open for random times, some rolled back, and a reader tails
 * the log by position the whole time. The reader never sees a gap (position n + 1 before n), every
 * committed event gets exactly one position, the positions are consecutive, and a rolled-back event
 * leaves no hole.
 */
describe('event log positions when sequencers race with late commits', () => {
  const pools: DataSource[] = [];
  beforeAll(async () => {
    const url = await cloneTestDatabase('seq-race');
    for (let i = 0; i < 3; i++) pools.push(await createDataSource(url).initialize());
  });
  afterAll(async () => {
    for (const ds of pools) await ds.destroy();
  });

  it('never shows a gap, positions every committed event once, consecutively', async () => {
    const [ds] = pools;
    const sequencers = pools.map((p) => new EventSequencer(p));
    const events = new EventsService(ds, sequencers[0]);
    const start = await events.lastSeq();
    const run = `race-${Date.now()}`;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let writing = true;
    let sequenced = false;

    // Sequencers: each runs again and again until the writers are done.
    const sequencing = sequencers.map(async (s) => {
      while (writing) {
        await s.sequence();
        await sleep(Math.random() * 5);
      }
    });

    // The reader: tails by position; whatever it reads must continue the positions it already has.
    const seen: number[] = [];
    let gap: string | null = null;
    const reading = (async () => {
      let cursor = start;
      while (!sequenced || cursor < (await events.highestSeq())) {
        for (const e of await events.after(cursor, 1000)) {
          if (e.seq !== cursor + 1 && !gap) gap = `read ${e.seq} right after ${cursor}`;
          cursor = e.seq;
          if ((e.payload as { run?: string }).run === run) seen.push(e.seq);
        }
        await sleep(2);
      }
    })();

    // Writers: 600 events in 8 lanes; each transaction held open 0-40 ms; every 10th rolled back.
    let rolledBack = 0;
    const lane = async (w: number) => {
      for (let i = 0; i < 75; i++) {
        const rollback = (w * 75 + i) % 10 === 9;
        if (rollback) rolledBack++;
        await ds
          .transaction(async (m) => {
            await events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { run, w, i } as never });
            await sleep(Math.random() * 40);
            if (rollback) throw new Error('rolled back on purpose');
          })
          .catch((e: Error) => {
            if (!rollback) throw e;
          });
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => lane(w)));
    writing = false;
    await Promise.all(sequencing);
    await sequencers[1].sequence();
    sequenced = true;
    await reading;

    expect(gap).toBeNull();
    const rows: { seq: string | null }[] = await ds.query(`SELECT seq FROM incident_event WHERE payload->>'run' = $1 ORDER BY seq`, [run]);
    expect(rows).toHaveLength(600 - rolledBack);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    const positions = rows.map((r) => Number(r.seq));
    // Consecutive from the first free position: a rolled-back event took none.
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, k) => start + 1 + k));
    expect(seen).toEqual(positions);
  });

  it('a run that cannot have the lock within 5 s fails and leaves its connection clean: the next run positions what waited', async () => {
    const [ds] = pools;
    // One connection only: a run that left it inside an aborted transaction would break the next one.
    const url = (ds.options as { url: string }).url;
    const one = createDataSource(url);
    one.setOptions({ extra: { ...(one.options.extra as object), max: 1 } });
    const single = await one.initialize();
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      const sequencer = new EventSequencer(single);
      const events = new EventsService(single, sequencer);
      await sequencer.sequence();
      await holder.query('SELECT pg_advisory_lock($1)', [SEQUENCER_LOCK_KEY]);
      await single.transaction((m) => events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { held: true } as never }));
      await expect(sequencer.sequence()).rejects.toThrow(/lock timeout/);
      // Nothing was positioned, and the connection answers outside any transaction.
      const [{ waiting }] = await single.query(`SELECT count(*)::int AS waiting FROM incident_event WHERE seq IS NULL`);
      expect(waiting).toBeGreaterThanOrEqual(1);
      // The session's own lock timeout again (the pool's 10 s), not the run's SET LOCAL.
      const [{ state }] = await single.query(`SELECT current_setting('lock_timeout') AS state`);
      expect(state).toBe('10s');
      await holder.query('SELECT pg_advisory_unlock($1)', [SEQUENCER_LOCK_KEY]);
      expect(await sequencer.sequence()).toBeGreaterThanOrEqual(1);
      const [{ left }] = await single.query(`SELECT count(*)::int AS left FROM incident_event WHERE seq IS NULL`);
      expect(left).toBe(0);
    } finally {
      await holder.end();
      await single.destroy();
    }
  }, 20_000);
});
