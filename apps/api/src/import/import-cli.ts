import 'reflect-metadata';
import { CityImportSummary, createDataSource, importCity, readCityProfile } from '@cad/db';
import { AppConfig } from '../config/config';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveServices } from '../infra/local-services';
import { progressSink } from '../platform/progress';

const USAGE = `usage: npm run import -- --city <profile.yaml | name under db/cities> [--data-dir <folder>] [--calls <file>] [--stations <file>] [--illustrative] [--database-url <url>]

Imports a city's command chain, stations, fleet and response plans through its profile into the record
(DATABASE_URL, or the same local PostgreSQL \`npm start\` uses). Files are read from --data-dir (default
DATA_DIR, else the profile's dataDir, else ../shared/data/san-francisco); --calls replaces the profile's calls file; --stations (or STATIONS_FILE) gives station locations,
station,lat,lon[,name], placing stations the data cannot. Re-running updates what is there.`;

/** Lines of the human summary of an import: counts, agencies, and every row it reported. */
export function summaryLines(s: CityImportSummary, maxRows = 20): string[] {
  const out = [
    `imported ${s.city}: ${s.districts} districts, ${s.streets} streets, ${s.stations} stations, ${s.units} units, ${s.plans} response plans`,
    `units per agency: ${Object.entries(s.agencies).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}`,
  ];
  const list = (title: string, rows: { line: number | null; reason: string }[]) => {
    if (!rows.length) return;
    out.push(`${title}: ${rows.length}`);
    for (const r of rows.slice(0, maxRows)) out.push(`  line ${r.line ?? '?'}: ${r.reason}`);
    if (rows.length > maxRows) out.push(`  ... and ${rows.length - maxRows} more`);
  };
  list('units imported out of service (a type mapped to no capability, or a station the data cannot place)', s.notDispatchable.map((u) => ({ line: u.line, reason: `${u.unitId}: ${u.reason}` })));
  list('units left as they were (on a task, or out of service by a person)', (s.leftAsIs ?? []).map((u) => ({ line: u.line, reason: `${u.unitId}: ${u.reason}` })));
  list('fleet rows not imported', s.fleetProblems);
  list('calls rows not readable', s.badRows);
  return out;
}

/**
 * `npm run import -- --city <profile>`: imports a city through its profile with a progress bar (on
 * stderr; the summary on stdout). Exits 2 on bad arguments, 1 with the error (naming the missing file,
 * property or profile key) when the import fails; nothing is written then.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      city: { type: 'string' },
      'data-dir': { type: 'string' },
      illustrative: { type: 'boolean', default: false },
      calls: { type: 'string' },
      stations: { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.city) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const profile = readCityProfile(values.city);
  const dataDir = path.resolve(values['data-dir'] || process.env.DATA_DIR || profile.dataDir || new AppConfig().DATA_DIR);
  const services = await resolveServices({
    databaseUrl: values['database-url'] ?? process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    dbName: 'cad',
    stateDir: path.resolve('.cad'),
    log: (m) => process.stderr.write(m + '\n'),
  });
  const ds = createDataSource(services.databaseUrl);
  await ds.initialize();
  const bar = progressSink('{bar} {percentage}% | step {step}/{total} {label}');
  try {
    await ds.runMigrations({ transaction: 'each' });
    const s = await importCity(ds, profile, {
      dataDir,
      illustrative: values.illustrative,
      // A stations file (`station,lat,lon[,name]`) places stations the data cannot (and overrides estimates): --stations, else STATIONS_FILE, else the profile's.
      files: { ...(values.calls ? { calls: values.calls } : {}), ...((values.stations ?? process.env.STATIONS_FILE) ? { stations: path.resolve((values.stations ?? process.env.STATIONS_FILE)!) } : {}) },
      onProgress: (i, total, label) => bar.update(i / total, { step: i + 1, total, label }, `step ${i + 1}/${total}: ${label}`),
    });
    bar.update(1, { step: 5, total: 5, label: 'done' }, 'done');
    bar.stop();
    console.log(summaryLines(s).join('\n'));
  } finally {
    bar.stop();
    await ds.destroy();
    await services.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`import failed: ${(e as Error).message}\n`);
  process.exit(1);
});
