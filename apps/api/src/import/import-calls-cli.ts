import { readColumnMapping, readMappedCalls } from '@cad/db';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run import-calls -- --mapping <mapping.yaml|json> --file <calls.csv> [--out <calls.json>] [--max-rows n]

Reads a calls-for-service CSV through a column mapping and reports what it read: calls, repeated ids,
generated ids, repeated ids whose rows disagree, and every row it could not read, by line. With --out,
writes the calls (ISO-8601 UTC times, WGS84 degrees) as JSON.`;

/**
 * `npm run import-calls -- --mapping <file> --file <csv>`: checks a city's calls export against its
 * mapping and reports every row by line. Exits 2 on bad arguments, 1 naming the file or mapping key
 * when they cannot be read.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      mapping: { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      'max-rows': { type: 'string', default: '20' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.mapping || !values.file) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const max = Number(values['max-rows']);
  if (!fs.existsSync(values.mapping)) throw new Error(`mapping file not found: ${values.mapping}`);
  if (!fs.existsSync(values.file)) throw new Error(`calls file not found: ${values.file}`);
  const r = readMappedCalls(values.file, readColumnMapping(values.mapping));
  const lines = [
    `${r.rowsRead} rows: ${r.calls.length} calls, ${r.duplicateRows} repeated rows, ${r.problems.length} not readable, ${r.generatedIds} ids generated`,
  ];
  if (r.conflicts.length) {
    lines.push(`repeated ids whose rows disagree (the first row loads): ${r.conflicts.length}`);
    for (const c of r.conflicts.slice(0, max)) lines.push(`  ${c.externalId}: line ${c.line} differs from line ${c.firstLine} in ${c.fields.join(', ')} (${c.distanceMetres} m apart)`);
  }
  if (r.problems.length) {
    lines.push(`rows not readable: ${r.problems.length}`);
    for (const p of r.problems.slice(0, max)) lines.push(`  line ${p.line}: ${p.reason}`);
    if (r.problems.length > max) lines.push(`  ... and ${r.problems.length - max} more`);
  }
  console.log(lines.join('\n'));
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(r.calls, null, 1));
}

try {
  main();
} catch (e) {
  process.stderr.write(`import-calls failed: ${(e as Error).message}\n`);
  process.exit(1);
}
