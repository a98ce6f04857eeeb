/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, as `BENCH_PROFILE=<dir> npm run bench:load` writes them):
 * `tsx bench/profile-summary.ts <dir>`. For each process folder (`api`, `worker`) prints the share of
 * sampled CPU time by package or source file (self time: where the CPU actually was) and the top
 * functions, so the README can say what takes the time. Not a test; prints only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a source file of ours, node's own code, or V8 (GC, idle). */
function ownerOf(url: string, fn: string): string {
  if (!url) return `(${fn || 'native'})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const i = url.indexOf('/dist/out/');
  return i >= 0 ? url.slice(i + 10) : url;
}

/** Self time in microseconds by key, from a profile's samples and time deltas. */
function selfTimes(p: Profile, key: (n: ProfileNode) => string): Map<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, k) => {
    const k2 = key(byId.get(id)!);
    out.set(k2, (out.get(k2) ?? 0) + (p.timeDeltas[k] ?? 0));
  });
  return out;
}

function print(title: string, m: Map<string, number>, top: number): void {
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title} (${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: tsx bench/profile-summary.ts <profile dir>');
for (const proc of fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory())) {
  const merged = { owners: new Map<string, number>(), fns: new Map<string, number>() };
  for (const f of fs.readdirSync(path.join(dir, proc)).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, proc, f), 'utf8')) as Profile;
    const add = (into: Map<string, number>, from: Map<string, number>) => from.forEach((v, k) => into.set(k, (into.get(k) ?? 0) + v));
    add(merged.owners, selfTimes(p, (n) => ownerOf(n.callFrame.url, n.callFrame.functionName)));
    add(merged.fns, selfTimes(p, (n) => `${n.callFrame.functionName || '(anonymous)'} ${ownerOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`));
  }
  print(`${proc}: self time by package / file`, merged.owners, 15);
  print(`${proc}: self time by function`, merged.fns, 15);
}
