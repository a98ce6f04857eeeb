import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Entities from rows read with plain SQL (`SELECT * FROM <table> …`), exactly as TypeORM's `find`
 * loads them: an instance made by the entity's metadata, then every column, in the metadata's order,
 * converted by the driver as TypeORM converts it (`prepareHydratedValue`: dates, JSON, transformers
 * such as `bigint-number`). Columns of the row the entity does not map are ignored; a column missing
 * from the row is left unset, as TypeORM leaves it.
 *
 * Why (issue 19's profile of the drill): on the drill's hot reads, building a `find`'s SQL (aliases,
 * escaping, the whole query rewritten for property names) and mapping its aliased columns back cost
 * two to three times the round trip itself: a `find` of one incident's tasks 0.50 ms of CPU against
 * 0.14 ms for the same rows read with plain SQL.
 * @param m the manager (a transaction's, to read in it) or the data source
 * @param target the entity class, e.g. `Incident`
 * @param rows rows keyed by column name (`incident_id`), as `m.query` answers them
 * @returns one entity per row, in the rows' order
 */
export function entitiesFrom<T extends ObjectLiteral>(m: EntityManager | DataSource, target: EntityTarget<T>, rows: readonly Record<string, unknown>[]): T[] {
  const ds = m instanceof DataSource ? m : m.connection;
  const meta = ds.getMetadata(target);
  const driver = ds.driver;
  return rows.map((row) => {
    const entity = meta.create(undefined, { fromDeserializer: true }) as T;
    for (const column of meta.columns) {
      const value = row[column.databaseName];
      if (value === undefined || column.isVirtual) continue;
      column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  });
}

/**
 * Reads entities with one plain SQL statement, `SELECT * FROM "<table>" <rest>` (see {@link entitiesFrom}).
 * @param rest the statement after the table's name, e.g. `WHERE incident_id = ANY($1) ORDER BY dispatched_at, id`
 *   (`FOR UPDATE` to lock the rows, as TypeORM's `pessimistic_write`)
 * @param params positional parameters ($1, $2…)
 * @throws the database's error (a lock timeout, a deadlock) as `m.query` throws it
 */
export async function readEntities<T extends ObjectLiteral>(m: EntityManager | DataSource, target: EntityTarget<T>, rest: string, params: unknown[] = []): Promise<T[]> {
  const ds = m instanceof DataSource ? m : m.connection;
  const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM "${ds.getMetadata(target).tableName}" ${rest}`, params);
  return entitiesFrom(m, target, rows);
}

/**
 * Finishes an entity inserted with plain SQL as TypeORM's `save` finishes it after its INSERT
 * (`SubjectExecutor.updateSpecialColumnsInInsertedAndUpdatedEntities`): every nullable column left
 * `undefined` becomes `null`, then the columns the statement's `RETURNING` answered (generated id,
 * defaults, create and update dates) are set, a non-null value converted by the driver as TypeORM converts
 * it (`prepareHydratedValue`), both in the metadata's column order.
 * Why (issue 19's profile of the drill): `save`'s persistence machinery and INSERT builder cost more
 * CPU than the statement's round trip on the intake's hot path.
 * @param entity the instance the INSERT wrote (e.g. from `m.create`), changed in place
 * @param returned the `RETURNING` row, keyed by column name (`created_at`)
 * @returns `entity`
 */
export function savedFrom<T extends ObjectLiteral>(m: EntityManager | DataSource, target: EntityTarget<T>, entity: T, returned: Record<string, unknown>): T {
  const ds = m instanceof DataSource ? m : m.connection;
  const meta = ds.getMetadata(target);
  for (const column of meta.columns) {
    if (!column.isVirtual && !column.isDeleteDate && column.isNullable && column.getEntityValue(entity) === undefined) column.setEntityValue(entity, null);
  }
  for (const column of meta.nonVirtualColumns) {
    const value = returned[column.databaseName];
    if (value !== undefined) column.setEntityValue(entity, value === null ? value : ds.driver.prepareHydratedValue(value, column));
  }
  return entity;
}

/**
 * A `jsonb` value as a parameter of plain SQL, as TypeORM sends a `jsonb` column: `JSON.stringify`d, with
 * null and undefined passed as they are (node-postgres would send an array as a PostgreSQL array).
 */
export function jsonbParam(v: unknown): unknown {
  return v === null || v === undefined ? v : JSON.stringify(v);
}
