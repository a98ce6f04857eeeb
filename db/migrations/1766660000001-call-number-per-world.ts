import { MigrationInterface, QueryRunner } from 'typeorm';

/** The old, global unique index on `call.call_number` (initial migration). */
const OLD = 'IDX_55b3828e1b7a71bf048a3a575d';

/**
 * A call number is an idempotency key per world, compared case-insensitively: the unique index on
 * `call_number` becomes `(COALESCE(drill_id, ''), upper(call_number))`. A live call reusing a drill
 * call's number is a new live call (never answered as a duplicate of the drill's call), a number reused
 * within one drill run is still a repeat, and `c-000020` is a repeat of `C-000020`. Numbers are stored
 * as sent. Rows that the new key would merge (case variants of one number in one world, stored while the
 * key was case-sensitive) keep the first received; each later one has `~<first 8 hex of its id>`
 * appended to its number so the index can be built (nothing is deleted).
 */
export class CallNumberPerWorld1766660000001 implements MigrationInterface {
  name = 'CallNumberPerWorld1766660000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "call" c SET "call_number" = left(c."call_number", 71) || '~' || left(c."id"::text, 8)
       FROM "call" o
       WHERE c."call_number" IS NOT NULL AND o."call_number" IS NOT NULL AND c."id" <> o."id"
         AND COALESCE(c."drill_id", '') = COALESCE(o."drill_id", '') AND upper(c."call_number") = upper(o."call_number")
         AND (c."created_at", c."id") > (o."created_at", o."id")`,
    );
    await q.query(`DROP INDEX IF EXISTS "${OLD}"`);
    await q.query(`CREATE UNIQUE INDEX "call_number_per_world" ON "call" (COALESCE("drill_id", ''), upper("call_number")) WHERE call_number IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Numbers shared across worlds keep the first received under the old, global key; later ones are suffixed.
    await q.query(
      `UPDATE "call" c SET "call_number" = left(c."call_number", 71) || '~' || left(c."id"::text, 8)
       FROM "call" o
       WHERE c."call_number" IS NOT NULL AND c."id" <> o."id" AND c."call_number" = o."call_number"
         AND (c."created_at", c."id") > (o."created_at", o."id")`,
    );
    await q.query(`DROP INDEX IF EXISTS "call_number_per_world"`);
    await q.query(`CREATE UNIQUE INDEX "${OLD}" ON "call" ("call_number") WHERE call_number IS NOT NULL`);
  }
}
