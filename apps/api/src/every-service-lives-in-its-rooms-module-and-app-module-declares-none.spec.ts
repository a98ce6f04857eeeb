import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { roomOf, sourceFiles } from './testing/source-rooms';

/**
 * Issue 12: each room of `apps/api/src` is a Nest module that declares its own services and exports only
 * what other rooms use. Read from the source with the TypeScript compiler API (no app is started):
 * - every class decorated `@Injectable`, `@Controller` or `@WebSocketGateway` is listed in the
 *   `providers` or `controllers` of a module file (`*.module.ts`) of its own room (a top-level folder, or
 *   a subfolder of `platform/`), unless its room is declared plain library code in {@link PLAIN_LIBRARY}
 *   or it is one of AppModule's cross-cutting enhancers (the auth guard, the device clock guard);
 * - `AppModule` declares no controller and no provider but the cross-cutting enhancers (`APP_GUARD`,
 *   `APP_INTERCEPTOR`, `APP_FILTER`, `APP_PIPE`), and is not global: a new service goes into its room;
 * - the only global module of the API is `CoreModule`, which provides exactly the core (configuration,
 *   process role, record and its closer, token signer);
 * - module imports (`imports: [...]` of every `@Module`) have no cycle, and nothing uses `forwardRef`.
 */

/** Rooms whose injectables are not wired by a module of their own, and why. */
const PLAIN_LIBRARY: Record<string, string> = {
  testing: 'the specs\' boot helpers: no production wiring',
  faults: 'test-only: FaultInjectionModule.killAt() declares its provider in a dynamic module',
};

/** The providers of the global core, by their token's name. */
const CORE = ['AppConfig', 'PROCESS_ROLE', 'DataSource', 'DataSourceCloser', 'JwtService'];

const ROOT = path.resolve(__dirname);


const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  if (!parsed.has(file)) parsed.set(file, ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
  return parsed.get(file)!;
}

function decoratorNames(node: ts.Node): string[] {
  return (ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : []).map((d) => {
    const e = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    return e.getText();
  });
}

function visit(node: ts.Node, f: (n: ts.Node) => void): void {
  f(node);
  ts.forEachChild(node, (c) => visit(c, f));
}

/** Classes decorated as injectables (services, controllers, gateways) in a file. */
function injectablesOf(file: string): string[] {
  const out: string[] = [];
  visit(parse(file), (n) => {
    if (ts.isClassDeclaration(n) && n.name && decoratorNames(n).some((d) => ['Injectable', 'Controller', 'WebSocketGateway'].includes(d))) out.push(n.name.text);
  });
  return out;
}

/** The property `key` of every object literal in a file (a `@Module({...})` or a dynamic module's `return {...}`). */
function propertiesNamed(file: string, key: string): ts.Expression[] {
  const out: ts.Expression[] = [];
  visit(parse(file), (n) => {
    if (ts.isPropertyAssignment(n) && n.name.getText() === key) out.push(n.initializer);
  });
  return out;
}

/** Names an array literal lists: identifiers, spread identifiers, and `provide`/`useClass` of provider objects. */
function namesIn(e: ts.Expression): string[] {
  if (!ts.isArrayLiteralExpression(e)) return [e.getText()];
  return e.elements.flatMap((x) => {
    if (ts.isIdentifier(x)) return [x.text];
    if (ts.isSpreadElement(x)) return [x.expression.getText()];
    if (ts.isObjectLiteralExpression(x)) {
      return x.properties.filter(ts.isPropertyAssignment).filter((p) => ['provide', 'useClass'].includes(p.name.getText())).map((p) => p.initializer.getText());
    }
    return [x.getText()];
  });
}

describe('every service lives in its room\'s module, and AppModule declares none', () => {
  const files = sourceFiles(ROOT);
  const moduleFiles = files.filter((f) => f.endsWith('.module.ts'));

  it('lists every injectable in a module of its own room (or its room is declared plain library code)', () => {
    const wired = new Map<string, Set<string>>();
    for (const f of moduleFiles) {
      const names = [...propertiesNamed(f, 'providers'), ...propertiesNamed(f, 'controllers')].flatMap(namesIn);
      const room = roomOf(f);
      wired.set(room, new Set([...(wired.get(room) ?? []), ...names]));
    }
    // AppModule's global enhancers (`{ provide: APP_GUARD, useClass: AuthGuard }`) are wired there, on purpose.
    const enhancers = new Set(propertiesNamed(path.join(ROOT, 'app.module.ts'), 'useClass').map((e) => e.getText()));
    const loose = files
      .filter((f) => !(roomOf(f) in PLAIN_LIBRARY))
      .flatMap((f) => injectablesOf(f).filter((c) => !wired.get(roomOf(f))?.has(c) && !enhancers.has(c)).map((c) => `${path.relative(ROOT, f)}: ${c}`));
    // RateLimitGuard is Nest's ThrottlerGuard answering in the API's error shape (code RATE_LIMITED, Retry-After).
    expect([...enhancers].sort()).toEqual(['AuthGuard', 'DeviceClockGuard', 'RateLimitGuard']);
    expect(loose).toEqual([]);
    // It reads real code: the dispatch room wires its processor, the command chain its own.
    expect(wired.get('dispatch')).toContain('DispatchProcessor');
    expect(wired.get('command-chain')).toContain('EscalationProcessor');
  });

  it('keeps AppModule to the cross-cutting enhancers: no controller, no service, not global', () => {
    const app = path.join(ROOT, 'app.module.ts');
    expect(propertiesNamed(app, 'controllers')).toEqual([]);
    expect(propertiesNamed(app, 'global')).toEqual([]);
    const provided = propertiesNamed(app, 'providers').flatMap((e) => (ts.isArrayLiteralExpression(e) ? [...e.elements] : [e]));
    const notEnhancers = provided.filter((x) => {
      if (!ts.isObjectLiteralExpression(x)) return true;
      const provide = x.properties.filter(ts.isPropertyAssignment).find((p) => p.name.getText() === 'provide');
      return !provide || !['APP_GUARD', 'APP_INTERCEPTOR', 'APP_FILTER', 'APP_PIPE'].includes(provide.initializer.getText());
    });
    expect(notEnhancers.map((x) => x.getText())).toEqual([]);
    expect(provided.length).toBeGreaterThan(0);
  });

  it('has one global module, the core, providing exactly the core', () => {
    const globals = moduleFiles.filter((f) => {
      const global = propertiesNamed(f, 'global').some((e) => e.kind === ts.SyntaxKind.TrueKeyword);
      let decorated = false;
      visit(parse(f), (n) => {
        if (ts.isClassDeclaration(n) && decoratorNames(n).includes('Global')) decorated = true;
      });
      return global || decorated;
    });
    expect(globals.map((f) => path.relative(ROOT, f))).toEqual([path.join('platform', 'core', 'core.module.ts')]);
    expect(propertiesNamed(globals[0], 'providers').flatMap(namesIn).sort()).toEqual([...CORE].sort());
  });

  it('has no cycle among module imports, and no forwardRef anywhere', () => {
    const moduleOf = new Map<string, string>();
    for (const f of moduleFiles) visit(parse(f), (n) => {
      if (ts.isClassDeclaration(n) && n.name && n.name.text.endsWith('Module')) moduleOf.set(n.name.text, f);
    });
    const graph = new Map<string, string[]>();
    for (const [name, f] of moduleOf) {
      const imports = propertiesNamed(f, 'imports').flatMap(namesIn).map((x) => x.replace(/\..*$/, '')).filter((x) => moduleOf.has(x) && x !== name);
      graph.set(name, imports);
    }
    // Depth-first search for a back edge (the graph is small).
    const state = new Map<string, 'open' | 'done'>();
    const back: string[] = [];
    const dfs = (v: string): void => {
      state.set(v, 'open');
      for (const w of graph.get(v) ?? []) {
        if (state.get(w) === 'open') back.push(`${v} -> ${w}`);
        else if (!state.has(w)) dfs(w);
      }
      state.set(v, 'done');
    };
    for (const v of [...graph.keys()].sort()) if (!state.has(v)) dfs(v);
    expect(back).toEqual([]);
    expect(graph.get('DispatchModule')).toEqual(expect.arrayContaining(['CommandChainModule', 'IncidentsModule']));
    expect(graph.get('CommandChainModule')).not.toContain('DispatchModule');
    expect(files.filter((f) => /\bforwardRef\s*\(/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
