import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations/index';
import { NamedStatementsClient } from './named-statements';

/**
 * The TypeORM data source of the record. Schema changes go through migrations only
 * (`synchronize` is off everywhere).
 * @param url PostgreSQL connection string
 */
export function createDataSource(url: string): DataSource {
  const ds = new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    // No request may pin the pool: waits for a connection, a lock, a statement or an idle transaction are bounded.
    extra: { max: 10, connectionTimeoutMillis: 10_000, statement_timeout: 30_000, lock_timeout: 10_000, idle_in_transaction_session_timeout: 60_000, Client: NamedStatementsClient },
  });
  // TypeORM types every @VersionColumn as `integer` whatever its options; the record's counters never
  // cap at 2^31, so `unit.version` is `bigint` (read as a number through `bigintNumber`).
  ds.driver.mappedDataTypes.version = 'bigint';
  return ds;
}
