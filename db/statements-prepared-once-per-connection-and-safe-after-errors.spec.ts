import { cloneTestDatabase } from './testing/clone-database';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { MAX_NAMED_STATEMENTS_PER_CONNECTION } from './named-statements';

/**
 * Issue 19 (the drill's speed): every parameterised statement of the record's pool runs as a named
 * prepared statement, parsed and planned once per connection (`NamedStatementsClient`). Its hostile
 * twins: a statement that fails to parse, a transaction rolled back after a statement was prepared in
 * it, a column added to a table a prepared statement reads, and more distinct statements than a
 * connection names. Each must leave the connection answering correctly.
 */
describe('statements prepared once per connection, and safe after errors', () => {
  let ds: DataSource;
  beforeAll(async () => {
    const url = await cloneTestDatabase('named-statements');
    const one = createDataSource(url);
    // One connection: every statement of the test meets the same session's prepared statements.
    one.setOptions({ extra: { ...(one.options.extra as object), max: 1 } });
    ds = await one.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
  });

  const prepared = async (): Promise<string[]> =>
    (await ds.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'cad\\_%' AND statement LIKE $1`, ['%named-statements-probe%'])).map((r: { statement: string }) => r.statement);

  it('a parameterised statement is prepared once and answers each time with its own values', async () => {
    const sql = `SELECT $1::int + 1 AS n /* named-statements-probe */`;
    for (let i = 0; i < 8; i++) expect(await ds.query(sql, [i])).toEqual([{ n: i + 1 }]);
    expect(await prepared()).toEqual([sql]);
    // Without parameters (the simple protocol: several statements in one string) nothing is prepared.
    await ds.query(`SELECT 1 AS one /* named-statements-probe simple */; SELECT 2 AS two`);
    expect(await prepared()).toEqual([sql]);
  });

  it('a statement that does not parse fails with its error, and the next one on the connection works', async () => {
    await expect(ds.query(`SELEC $1::int /* named-statements-probe broken */`, [1])).rejects.toThrow(/syntax error/);
    await expect(ds.query(`SELECT $1::int AS n FROM no_such_table /* named-statements-probe */`, [1])).rejects.toThrow(/no_such_table/);
    expect(await ds.query(`SELECT $1::text AS s /* named-statements-probe after */`, ['ok'])).toEqual([{ s: 'ok' }]);
  });

  it('a statement prepared inside a transaction that rolls back still answers afterwards', async () => {
    const sql = `SELECT count(*)::int AS n FROM jurisdiction WHERE level = $1 /* named-statements-probe rollback */`;
    const [{ n }] = await ds.query(sql, ['city']);
    await expect(
      ds.transaction(async (m) => {
        expect(await m.query(sql.replace('rollback', 'in-transaction'), ['city'])).toEqual([{ n }]);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await ds.query(sql.replace('rollback', 'in-transaction'), ['city'])).toEqual([{ n }]);
    // In an aborted transaction the statement fails as any would; after the rollback it answers again.
    await expect(
      ds.transaction(async (m) => {
        await m.query(`SELECT 1/0`).catch(() => undefined);
        await m.query(sql, ['city']);
      }),
    ).rejects.toThrow(/current transaction is aborted/);
    expect(await ds.query(sql, ['city'])).toEqual([{ n }]);
  });

  it('a column added to a table a prepared statement reads: the statement is planned again and answers', async () => {
    await ds.query(`CREATE TABLE probe_named (id int PRIMARY KEY, label text)`);
    await ds.query(`INSERT INTO probe_named VALUES (1, 'one')`);
    const sql = `SELECT id, label FROM probe_named WHERE id = $1 /* named-statements-probe ddl */`;
    expect(await ds.query(sql, [1])).toEqual([{ id: 1, label: 'one' }]);
    await ds.query(`ALTER TABLE probe_named ADD COLUMN extra int DEFAULT 7`);
    await ds.query(`CREATE INDEX probe_named_label ON probe_named (label)`);
    expect(await ds.query(sql, [1])).toEqual([{ id: 1, label: 'one' }]);
    // A column's type changed under it: PostgreSQL refuses the prepared plan once; the next execution answers.
    await ds.query(`ALTER TABLE probe_named ALTER COLUMN label TYPE varchar(20)`);
    const after = await ds.query(sql, [1]).catch((e: Error) => e);
    expect(after).toBeInstanceOf(Error);
    expect((after as Error).message).toMatch(/cached plan must not change result type/);
    expect(await ds.query(sql, [1])).toEqual([{ id: 1, label: 'one' }]);
    expect(await ds.query(sql, [1])).toEqual([{ id: 1, label: 'one' }]);
    await ds.query(`DROP TABLE probe_named`);
  });

  it('more distinct statements than a connection names: the rest run unnamed, all answering', async () => {
    const n = MAX_NAMED_STATEMENTS_PER_CONNECTION + 20;
    for (let i = 0; i < n; i++) {
      expect(await ds.query(`SELECT $1::int * ${i} AS v /* named-statements-probe many ${i} */`, [2])).toEqual([{ v: 2 * i }]);
    }
    const [{ named }] = await ds.query(`SELECT count(*)::int AS named FROM pg_prepared_statements WHERE name LIKE 'cad\\_%'`);
    expect(named).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS_PER_CONNECTION);
    // A statement named before the cap is still run prepared.
    expect(await ds.query(`SELECT $1::int * 3 AS v /* named-statements-probe many 3 */`, [2])).toEqual([{ v: 6 }]);
  });

  it('a value pg cannot turn into a parameter (a BigInt in a jsonb object, a circular object) fails that call only; the statement answers after', async () => {
    const sql = `SELECT $1::jsonb AS v /* named-statements-probe values */`;
    await expect(ds.query(sql, [{ k: BigInt(1) }])).rejects.toThrow();
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    await expect(ds.query(sql, [circular])).rejects.toThrow();
    for (let i = 0; i < 3; i++) expect(await ds.query(sql, [{ k: i }])).toEqual([{ v: { k: i } }]);
  });

  it("the session's statements dropped (DEALLOCATE ALL): one execution fails at most, then every statement answers", async () => {
    const sql = `SELECT $1::int * 2 AS v /* named-statements-probe deallocate */`;
    expect(await ds.query(sql, [4])).toEqual([{ v: 8 }]);
    await ds.query(`DEALLOCATE ALL`);
    const first = await ds.query(sql, [5]).catch((e: Error) => e);
    if (first instanceof Error) expect(first.message).toMatch(/does not exist/);
    expect(await ds.query(sql, [6])).toEqual([{ v: 12 }]);
    expect(await ds.query(sql, [7])).toEqual([{ v: 14 }]);
  });
});
