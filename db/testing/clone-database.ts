import { randomBytes } from 'crypto';
import { Client } from 'pg';

let counter = 0;

/**
 * Creates a database of this test run beside the run's template (`CAD_TEST_TEMPLATE_URL`), named after the
 * label, the process, a counter and a random tag: parallel suites never share one, nor do two spec files with
 * the same label run one after the other in one jest worker (each file starts its module's counter at 0).
 * @param from `template`: a copy of the run's template (migrated, SF data imported); `empty`: a new, empty database
 * @returns its connection string
 */
export async function createTestDatabase(label: string, from: 'template' | 'empty'): Promise<string> {
  const tpl = new URL(process.env.CAD_TEST_TEMPLATE_URL!);
  const kind = from === 'empty' ? 'e' : '';
  const name = `cad_${process.env.CAD_TEST_RUN}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${kind}${process.pid}_${counter++}_${randomBytes(3).toString('hex')}`;
  const admin = new URL(tpl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(from === 'template' ? `CREATE DATABASE "${name}" TEMPLATE "${tpl.pathname.slice(1)}"` : `CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(tpl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh database cloned from the run's template (migrated, SF data imported).
 * @returns its connection string
 */
export function cloneTestDatabase(label: string): Promise<string> {
  return createTestDatabase(label, 'template');
}
