import { createHash } from 'node:crypto';
import { Client, QueryConfig } from 'pg';
// pg's own conversion of a JavaScript value to a parameter (what it applies to every value it sends).
import { prepareValue } from 'pg/lib/utils';

/** Named (prepared) statements one connection keeps at most; statements past it run unnamed, as before. */
export const MAX_NAMED_STATEMENTS_PER_CONNECTION = 400;
/** Statements longer than this (characters) run unnamed: generated one-offs, not the hot path. */
const MAX_NAMED_TEXT = 8000;

const names = new Map<string, string>();

/** The statement name of a text: stable across processes (a hash), so logs name the same statement alike. */
function nameOf(text: string): string {
  let n = names.get(text);
  if (!n) {
    n = `cad_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size >= 20_000) names.clear();
    names.set(text, n);
  }
  return n;
}

/**
 * A `pg` client that runs every parameterised statement as a named prepared statement, parsed and
 * planned once per connection instead of on every execution (issue 19's profile of the drill: parsing
 * and planning TypeORM's unnamed statements took more of PostgreSQL's time than executing them; the
 * drill's read of its open tasks planned for 1.2 ms and ran for 0.2 ms). PostgreSQL re-plans a
 * prepared statement by itself when a table it reads changes; after five executions it may keep a
 * generic plan when that costs no more than the custom ones (`plan_cache_mode = auto`).
 * Statements without parameters (simple protocol, several statements in one string), those given
 * a name or config object already, and callback-style calls are left as they are; a connection names at most
 * {@link MAX_NAMED_STATEMENTS_PER_CONNECTION} statements (IN lists of every length are distinct texts).
 * A column whose type changes under a prepared statement (`cached plan must not change result type`),
 * or statements dropped by the session (`26000`), fail that one execution; the connection runs that text
 * unnamed afterwards. A value pg cannot turn into a parameter fails before anything is sent.
 * Used through the pool's `Client` option (`createDataSource`).
 */
export class NamedStatementsClient extends Client {
  private readonly mine = new Set<string>();
  /** Statements whose prepared plan a schema change broke on this connection: they run unnamed from then on. */
  private readonly broken = new Set<string>();

  // pg's overloads: (text, values?, callback?) | (config, ...) | (submittable): only (text, values[]) changes.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const call = (...a: unknown[]) => (super.query as (...b: unknown[]) => never)(...a);
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && text.length <= MAX_NAMED_TEXT && args.length === 2) {
      const name = nameOf(text);
      if (!this.broken.has(name) && (this.mine.has(name) || this.mine.size < MAX_NAMED_STATEMENTS_PER_CONNECTION)) {
        this.mine.add(name);
        // The values are turned into parameters here, before the statement is named: pg would otherwise send
        // the Parse, fail on a value it cannot turn (a BigInt in an object, a circular object), and keep
        // believing the statement prepared on this connection while the server never had it.
        let prepared: unknown[];
        try {
          prepared = values.map((v) => prepareValue(v));
        } catch (e) {
          return Promise.reject(e) as never;
        }
        const config: QueryConfig = { name, text, values: prepared };
        return (call(config) as Promise<unknown>).catch((e: { code?: string; message?: string }) => {
          // A column's type changed under the prepared statement (a migration while this process runs), or
          // the session's statements were dropped (DEALLOCATE ALL, DISCARD ALL): this execution fails, as a
          // statement meeting a schema change may, and the connection runs the text unnamed from now on.
          if ((e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) || e?.code === '26000') {
            this.broken.add(name);
            delete (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name];
          }
          throw e;
        }) as never;
      }
    }
    return call(...args);
  }
}
