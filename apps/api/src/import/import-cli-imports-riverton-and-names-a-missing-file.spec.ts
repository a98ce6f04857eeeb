import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { emptyTestDatabase } from '@cad/db/testing';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const PROFILE = 'db/cities/fixtures/riverton/riverton.yaml';

/** Runs a CLI as `npm run` does; answers its exit code and output. */
async function cli(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(TSX, ['--tsconfig', 'tsconfig.json', `apps/api/src/import/${script}`, ...args], { env: { ...process.env, ...env }, timeout: 60000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('npm run import -- --city <profile> and npm run import-calls -- --mapping <file>', () => {
  let ds: DataSource;
  let url: string;
  beforeAll(async () => {
    ds = await emptyTestDatabase('importcli');
    url = (ds.options as { url: string }).url;
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it('imports the fixture city with step-by-step progress and a summary naming every reported row', async () => {
    const r = await cli('import-cli.ts', ['--city', PROFILE, '--database-url', url], { DATA_DIR: '' });
    expect(r.code).toBe(0);
    // Not a terminal here: the bar is written as plain lines on stderr.
    expect(r.stderr).toContain('step 1/5: boundaries');
    expect(r.stderr).toContain('step 5/5: write');
    expect(r.stdout).toContain('imported riverton: 2 districts, 4 streets, 2 stations, 8 units, 5 response plans');
    expect(r.stdout).toContain('units per agency: fire 4, ems 1, police 2, water_utility 1');
    expect(r.stdout).toContain('line 9: RB1: type "FIREBOAT" maps to no capability: imported out of service');
    expect(r.stdout).toContain('line 10: unknown agency "sheriff"');
    const [n] = await ds.query(`SELECT count(*)::int AS n FROM unit WHERE agency = 'police'`);
    expect(n.n).toBe(2);
  });

  it('a wrong data folder fails naming the file it looked for; no arguments prints the usage', async () => {
    const r = await cli('import-cli.ts', ['--city', PROFILE, '--database-url', url, '--data-dir', '/nonexistent']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('import failed: file not found: /nonexistent/riverton_wards.geojson (boundaries.districts.file in');
    const u = await cli('import-cli.ts', []);
    expect(u.code).toBe(2);
    expect(u.stdout).toContain('usage: npm run import -- --city');
  });

  it('import-calls reports generated ids, conflicting repeats and unreadable rows by line; a missing mapping is named', async () => {
    const dir = 'db/cities/fixtures/riverton';
    const r = await cli('import-calls-cli.ts', ['--mapping', `${dir}/riverton-calls.mapping.yaml`, '--file', `${dir}/riverton_calls.csv`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10 rows: 6 calls, 3 repeated rows, 1 not readable, 1 ids generated');
    expect(r.stdout).toContain('R-100: line 10 differs from line 2 in place (5549 m apart)');
    expect(r.stdout).toContain('line 11: bad CallTime "2024-11-03T25:00:00"');
    const bad = await cli('import-calls-cli.ts', ['--mapping', `${dir}/nope.yaml`, '--file', `${dir}/riverton_calls.csv`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`import-calls failed: mapping file not found: ${dir}/nope.yaml`);
  });
});
