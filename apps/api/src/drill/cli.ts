import * as path from 'node:path';
import { DRILL_PLAN_SOURCES, DrillPlanSource } from './replayed-first-alarm';
import { parseArgs } from 'node:util';
import { DRILL_POLICIES, DrillOptions } from './drill-run';
import { DrillHost, runDrill, startDrillHost, writePolicyComparison, writeReport } from './drill-runner';
import { LATE_CAUSES } from './late-arrivals';
import { MAX_SURGE } from './surge';
import { processLogger } from '../platform/logging/logger';
import { progressSink } from '../platform/progress';

/** Structured logs on stderr (pino JSON); stdout carries the human output: the summary and the report files. */
const log = processLogger('drill', process.env.LOG_LEVEL || 'info', 2);

const USAGE = `usage: npm run drill -- --day <YYYY-MM-DD> [--to-day <YYYY-MM-DD>] [--scenario sf-north] [--speed <x|max>]
                          [--policy ${DRILL_POLICIES.join('|')}] [--compare-policy <name>[,<name>...]|all] [--surge <factor>]
                          [--seed n] [--limit n] [--plans history|city] [--out dir]`;

/**
 * `npm run drill -- --scenario <name> --day <date> --speed <x|max> --policy <name> [--surge f] [--seed n] [--out dir]`:
 * starts the API in-process, replays the day as a drill, prints progress, and writes the after-action
 * report (`<out>/<drillId>.html` and `.json`). `--surge 4` compresses the calls' receipt times 4-fold.
 * With `--compare-policy <name>` (or a comma-separated list, or `all` for every policy), replays the
 * same calls again under each, every run in its own world, and writes the policy comparison (late
 * arrivals, mean and p90 response, ratios over the `--policy` run: `<out>/<drillId>-policies.html`)
 * and, for one other policy, the interval comparison (`<out>/<drillId>-vs-<policy>.html`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'sf-north' },
      day: { type: 'string' },
      'to-day': { type: 'string' },
      speed: { type: 'string', default: 'max' },
      policy: { type: 'string', default: 'nearest' },
      'compare-policy': { type: 'string' },
      seed: { type: 'string', default: '1' },
      limit: { type: 'string' },
      surge: { type: 'string', default: '1' },
      plans: { type: 'string', default: 'history' },
      out: { type: 'string', default: 'drill-reports' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.day) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && !(speed >= 1)) throw new Error(`--speed must be a number ≥ 1 or max (got ${values.speed})`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer (got ${values.seed})`);
  const surge = Number(values.surge);
  if (!(surge >= 1 && surge <= MAX_SURGE)) throw new Error(`--surge must be a number within 1..${MAX_SURGE} (got ${values.surge})`);
  if (!(DRILL_PLAN_SOURCES as readonly string[]).includes(values.plans!)) throw new Error(`--plans must be one of ${DRILL_PLAN_SOURCES.join(', ')} (got ${values.plans})`);
  const asked = values['compare-policy'] === 'all' ? [...DRILL_POLICIES] : (values['compare-policy']?.split(',').map((p) => p.trim()) ?? []);
  // The --policy run first (the baseline of the ratios), then each other policy once.
  const others = asked.filter((p, k) => p !== values.policy && asked.indexOf(p) === k);
  for (const p of [values.policy, ...others]) {
    if (!(DRILL_POLICIES as readonly string[]).includes(p)) throw new Error(`unknown policy ${p} (known: ${DRILL_POLICIES.join(', ')})`);
  }
  const opts: DrillOptions = {
    scenario: values.scenario,
    day: values.day,
    toDay: values['to-day'],
    speed,
    policy: values.policy,
    seed,
    limit: values.limit ? Number(values.limit) : undefined,
    surge,
    plans: values.plans as DrillPlanSource,
  };
  // Same database as `npm start` unless DRILL_DB names another (the drill runs in its own world: live units are never touched).
  const host = await startDrillHost(process.env.DRILL_DB || 'cad', (m) => log.info(m));
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    log.warn('stopping the drill (Ctrl-C again to quit at once)');
    for (const r of host.drills.own()) if (r.state === 'running' || r.state === 'paused') void host.drills.stop(r.id);
  };
  process.on('SIGINT', onSignal);
  try {
    const out = path.resolve(values.out);
    const a = await replay(host, opts);
    console.log(`drill ${a.id} ${a.state} in ${a.wallSeconds.toFixed(1)} s: ${a.posted} calls posted, ${a.refused} refused; event log sha256 ${a.eventLogHash}`);
    for (const f of await writeReport(host, a.id, out)) console.log(`report: ${f}`);
    const ids = [a.id];
    for (const policy of a.state === 'finished' ? others : []) {
      const b = await replay(host, { ...opts, policy });
      console.log(`drill ${b.id} ${b.state} in ${b.wallSeconds.toFixed(1)} s`);
      for (const f of await writeReport(host, b.id, out)) console.log(`report: ${f}`);
      if (others.length === 1) for (const f of await writeReport(host, a.id, out, b.id, `${a.id}-vs-${b.policy}`)) console.log(`comparison: ${f}`);
      if (b.state !== 'finished') break;
      ids.push(b.id);
    }
    if (ids.length > 1) {
      const files = await writePolicyComparison(host, ids, out, `${a.id}-policies`);
      const cmp = await host.reports.comparePolicies(ids);
      for (const p of cmp.policies ?? []) {
        const why = p.lateCauses ? LATE_CAUSES.map((c) => `${c} ${p.lateCauses![c]}`).join(', ') : '';
        console.log(`  ${p.policy.padEnd(10)} late ${p.lateCalls}/${p.p1Calls} P1 (${p.lateShare === null ? '–' : (p.lateShare * 100).toFixed(1) + ' %'}), mean response ${p.meanResponseS} s, p90 ${p.p90ResponseS} s${why ? `; late: ${why}` : ''}`);
      }
      for (const f of files) console.log(`policies: ${f}`);
    }
  } finally {
    await host.close();
  }
}

/**
 * Runs one drill with a `cli-progress` bar on stderr (simulated time, calls posted, units busy), or plain
 * progress lines every 2 s when stderr is not a terminal.
 */
async function replay(host: DrillHost, opts: DrillOptions) {
  const bar = progressSink(' {bar} {percentage}% | {simTime} | calls {posted}/{calls} | units busy {busy} | wall {wall} s');
  try {
    return await runDrill(
      host,
      opts,
      (line, v) => (v ? bar.update(v.progress, { simTime: v.simTime, posted: v.posted, calls: v.calls, busy: v.activeAssignments, wall: v.wallSeconds.toFixed(0) }, line) : bar.note(line)),
      bar.tty ? 250 : 2000,
    );
  } finally {
    bar.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log.fatal({ err: e instanceof Error ? e.message : String(e) }, 'drill failed');
    process.exit(1);
  },
);
