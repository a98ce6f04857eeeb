import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { createTestDatabase } from './clone-database';

/**
 * A fresh, migrated database with no city in it (for importing another city than the template's).
 * @returns an initialised data source on it
 */
export async function emptyTestDatabase(label: string): Promise<DataSource> {
  const ds = createDataSource(await createTestDatabase(label, 'empty'));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
