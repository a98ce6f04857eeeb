import { Client } from 'pg';
import { createDataSource } from '../data-source';
import type { DataSource } from 'typeorm';

let counter = 0;

/**
 * A fresh, migrated database with no city in it (for importing another city than the template's).
 * @returns an initialised data source on it
 */
export async function emptyTestDatabase(label: string): Promise<DataSource> {
  const tpl = new URL(process.env.CAD_TEST_TEMPLATE_URL!);
  const name = `cad_${process.env.CAD_TEST_RUN}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_e${process.pid}_${counter++}`;
  const admin = new URL(tpl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(tpl);
  url.pathname = `/${name}`;
  const ds = createDataSource(url.toString());
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
