import { MigrationInterface, QueryRunner } from 'typeorm';

/** Why a task was taken back from its unit before it finished (for example `not_acknowledged`), and which task a replacement replaces. */
export class TaskRelease1764864000000 implements MigrationInterface {
  name = 'TaskRelease1764864000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "assignment" ADD "released_reason" character varying(40)');
    await q.query('ALTER TABLE "assignment" ADD "replaces_id" uuid');
    await q.query('CREATE UNIQUE INDEX "assignment_one_replacement" ON "assignment"  ("replaces_id") WHERE replaces_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "public"."assignment_one_replacement"');
    await q.query('ALTER TABLE "assignment" DROP COLUMN "replaces_id"');
    await q.query('ALTER TABLE "assignment" DROP COLUMN "released_reason"');
  }
}
