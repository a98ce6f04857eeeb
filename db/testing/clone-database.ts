import { Client } from 'pg';

let counter = 0;

/**
 * A fresh database cloned from the run's template (migrated, SF data imported).
 * @returns its connection string
 */
export async function cloneTestDatabase(label: string): Promise<string> {
  const tpl = new URL(process.env.CAD_TEST_TEMPLATE_URL!);
  const name = `cad_${process.env.CAD_TEST_RUN}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${process.pid}_${counter++}`;
  const admin = new URL(tpl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}" TEMPLATE "${tpl.pathname.slice(1)}"`);
  await c.end();
  const url = new URL(tpl);
  url.pathname = `/${name}`;
  return url.toString();
}
