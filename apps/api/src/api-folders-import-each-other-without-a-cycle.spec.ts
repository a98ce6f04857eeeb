import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { roomOf, sourceFiles } from './testing/source-rooms';

/**
 * The top-level folders of `apps/api/src` (auth, calls, closures, drill, events, incidents, ...) are
 * the rooms of the API: this spec builds the import graph between them with the TypeScript compiler
 * API (`ts.preProcessFile`: every `import`, `import type`, `export ... from`, `require` and dynamic
 * `import()` of a source file, spec files left out) and fails on an import cycle between folders.
 * - `platform/` is a shelf of independent services (clock, logging, health, metrics, ...): each of its
 *   subfolders is a node of its own, its loose files one more (`platform`).
 * - The composition roots, which start a process and so import everything, are left out as importers:
 *   {@link COMPOSITION_ROOTS}, and so is `testing/`, the specs' own boot helpers. Nothing else may import
 *   them (a folder importing `bootstrap` would close a cycle through `app.module`).
 *
 * KNOWN_CYCLES lists the folder-to-folder imports that still close a cycle (issue 12). It is empty: the
 * calls/closures/incidents/units knot was cut (location-check went to intake/, positions and device
 * clock offsets to assignments/, the assignment view to assignments/, an incident's road access to
 * closures/, and the redispatch of waiting incidents to queues/). The list may only shrink: a new
 * import that closes a cycle fails, and so does an entry that no longer closes one.
 */
const KNOWN_CYCLES: readonly string[] = [];

/** Files that start a process or wire the whole application (paths under apps/api/src). */
const COMPOSITION_ROOTS = ['main.ts', 'worker.ts', 'bootstrap.ts', 'app.module.ts', 'drill/cli.ts', 'drill/drill-runner.ts', 'import/import-cli.ts', 'import/import-calls-cli.ts', 'faults/fault-worker.ts'];

/** Test-only code the production wiring must never import (see `platform/fault-points.ts`). */
const TEST_ONLY = ['faults/fault-injection.module', 'faults/fault-worker', 'testing/'];

const ROOT = path.resolve(__dirname);


/** The files a source file imports inside the API (relative or `@cad/api/...`), as absolute paths without extension. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.flatMap(({ fileName }) => {
    if (fileName.startsWith('.')) return [path.resolve(path.dirname(file), fileName)];
    if (fileName.startsWith('@cad/api/')) return [path.join(ROOT, fileName.slice('@cad/api/'.length))];
    return [];
  });
}

/** Folder graph: from -> to -> the imports (`file -> target`) that make the edge. */
function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(ROOT)) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    if (COMPOSITION_ROOTS.includes(rel) || rel.startsWith('testing/')) continue;
    const from = roomOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const target of importsOf(file)) {
      const to = roomOf(target);
      if (to === from) continue;
      const edges = graph.get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`]);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan 1972), each sorted, in a stable order. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The edges `from -> to` inside one component, sorted. */
function edgesWithin(graph: Map<string, Map<string, string[]>>, component: string[]): string[] {
  const inside = new Set(component);
  return component.flatMap((from) => [...(graph.get(from)?.keys() ?? [])].filter((to) => inside.has(to)).map((to) => `${from} -> ${to}`)).sort();
}

describe('the API folders import each other without a cycle', () => {
  const graph = folderGraph();

  it('reads the real import graph (every folder with code is a node; the clock is platform\'s, not the drill\'s)', () => {
    expect(graph.size).toBeGreaterThan(15);
    expect([...graph.get('incidents')!.keys()]).toEqual(expect.arrayContaining(['events', 'platform/clock', 'queues']));
    expect([...graph.get('events')!.keys()]).not.toContain('drill');
    // Dispatch and the command chain are rooms of their own (issue 12), not sub-folders of incidents.
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['dispatch', 'command-chain', 'intake']));
  });

  it('has dispatch call the command chain (it arms deadlines) and the command chain only message dispatch, through the job registry', () => {
    expect([...graph.get('dispatch')!.keys()]).toEqual(expect.arrayContaining(['command-chain', 'incidents', 'queues']));
    expect([...graph.get('command-chain')!.keys()]).not.toContain('dispatch');
    expect([...graph.get('incidents')!.keys()]).not.toContain('command-chain');
    expect([...graph.get('incidents')!.keys()]).not.toContain('dispatch');
  });

  it('lets nothing outside drill/ import drill/ (the drill uses live work, live work never waits on a drill)', () => {
    const importers = [...graph].filter(([from, edges]) => from !== 'drill' && edges.has('drill')).map(([from, edges]) => `${from}: ${edges.get('drill')![0]}`);
    expect(importers).toEqual([]);
  });

  it('lets nothing but a composition root import one', () => {
    const roots = new Set(['app.module', 'bootstrap', 'main', 'worker']);
    const importers = [...graph].flatMap(([from, edges]) => [...edges.keys()].filter((to) => roots.has(to)).map((to) => `${from} -> ${to}: ${edges.get(to)![0]}`));
    expect(importers).toEqual([]);
  });

  it('has no import cycle between folders beyond the known ones, and the known ones only shrink', () => {
    const found = cycles(graph).flatMap((c) => edgesWithin(graph, c));
    const unknown = found.filter((e) => !KNOWN_CYCLES.includes(e));
    const detail = unknown.map((e) => {
      const [from, to] = e.split(' -> ');
      return `${e}:\n    ${graph.get(from)!.get(to)!.slice(0, 3).join('\n    ')}`;
    });
    expect(detail).toEqual([]);
    // An entry that no longer closes a cycle is removed from KNOWN_CYCLES, so the list cannot grow back.
    expect(KNOWN_CYCLES.filter((e) => !found.includes(e))).toEqual([]);
  });

  it('finds a cycle when there is one (its hostile twin: a graph with one planted back edge)', () => {
    const planted = new Map([...graph].map(([k, v]) => [k, new Map(v)]));
    planted.set('platform/clock', new Map([['events', ['planted']]]));
    expect(cycles(planted).some((c) => c.includes('platform/clock') && c.includes('events'))).toBe(true);
    expect(cycles(graph).some((c) => c.includes('platform/clock'))).toBe(false);
  });

  it('keeps test-only fault injection and test helpers out of the production wiring', () => {
    const offenders = sourceFiles(ROOT)
      .filter((f) => !path.relative(ROOT, f).startsWith('faults' + path.sep) && !path.relative(ROOT, f).startsWith('testing' + path.sep))
      .flatMap((f) => importsOf(f).filter((t) => TEST_ONLY.some((x) => path.relative(ROOT, t).startsWith(x))).map((t) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, t)}`));
    expect(offenders).toEqual([]);
  });
});
