import { DataSource, EntityManager } from 'typeorm';

/** SQLSTATEs with which PostgreSQL aborts a transaction that may simply be run again: deadlock detected, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

/** The SQLSTATE of a driver error (TypeORM wraps it in `driverError`), or undefined. */
function sqlState(e: unknown): string | undefined {
  return (e as { code?: string }).code ?? (e as { driverError?: { code?: string } }).driverError?.code;
}

/**
 * Runs `work` in a transaction, and again (up to `tries` times in all, after 20–60 ms × the attempt) when
 * PostgreSQL aborted it as a deadlock victim or for a serialization failure: the whole transaction was
 * rolled back, so running it again is safe as long as `work` has no effect outside it. A crew's report that
 * met the timer's sweep on the same rows is applied instead of answered `500`.
 * @throws whatever `work` throws, and the last retryable error after `tries` attempts
 */
export async function transactionRetried<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (e) {
      const code = sqlState(e);
      if (!code || !RETRYABLE.has(code) || attempt >= tries) throw e;
      await new Promise((r) => setTimeout(r, attempt * (20 + Math.random() * 40)));
    }
  }
}
