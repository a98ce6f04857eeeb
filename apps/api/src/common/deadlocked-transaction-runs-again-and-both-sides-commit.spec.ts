import type { DataSource, EntityManager } from 'typeorm';
import { emptyTestDatabase } from '@cad/db/testing';
import { transactionRetried } from './transaction-retried';

/**
 * Two transactions take the same two rows in opposite orders, as a crew's acknowledgement (its task, then
 * its deadline) and the timer's sweep (the deadline, then the task) can: PostgreSQL aborts one as the
 * deadlock victim. Run through `transactionRetried`, the victim runs again and both commit; a plain
 * transaction answers the deadlock to its caller (the `500` a crew once got).
 */
describe('a transaction chosen as a deadlock victim', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await emptyTestDatabase('deadlock');
    await ds.query(`CREATE TABLE row_pair (id int PRIMARY KEY, touched_by text[] NOT NULL DEFAULT '{}')`);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** Locks row `first`, waits until the other side holds its row, then updates row `second`. */
  const crossing = (first: number, second: number, me: string, bothHold: Promise<void>, hold: () => void) => async (m: EntityManager) => {
    await m.query(`UPDATE row_pair SET touched_by = touched_by || $2::text WHERE id = $1`, [first, me]);
    hold();
    await bothHold;
    await m.query(`UPDATE row_pair SET touched_by = touched_by || $2::text WHERE id = $1`, [second, me]);
  };

  /** Two crossing transactions, both run by `run` (retried or plain). */
  const race = async (run: (work: Parameters<typeof transactionRetried>[1]) => Promise<unknown>) => {
    await ds.query(`DELETE FROM row_pair`);
    await ds.query(`INSERT INTO row_pair (id) VALUES (1), (2)`);
    let held = 0;
    let release!: () => void;
    const bothHold = new Promise<void>((r) => (release = r));
    const hold = () => {
      if (++held === 2) release();
    };
    return Promise.allSettled([
      run(crossing(1, 2, 'a', bothHold, hold)),
      run(crossing(2, 1, 'b', bothHold, hold)),
    ]);
  };

  it('runs again when it was the victim: both sides commit, each row touched once by each', async () => {
    const results = await race((work) => transactionRetried(ds, work));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const rows: { id: number; touched_by: string[] }[] = await ds.query(`SELECT id, touched_by FROM row_pair ORDER BY id`);
    for (const r of rows) expect([...r.touched_by].sort()).toEqual(['a', 'b']);
  }, 60_000);

  it('hostile twin: without it, one side gets the deadlock (40P01) and its change is lost', async () => {
    const results = await race((work) => ds.transaction(work));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason.driverError?.code ?? failed[0].reason.code).toBe('40P01');
  }, 60_000);
});
