import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { cloneTestDatabase } from '../testing/clone-database';

describe('migrations match the entities', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(await cloneTestDatabase('migrations'));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('leaves no schema change for TypeORM to generate', async () => {
    const log = await ds.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });
});
