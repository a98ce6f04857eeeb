import { MigrationInterface, QueryRunner } from 'typeorm';

/** The incident a merged incident was found to duplicate (its calls and units went there). */
export class IncidentMerge1765036800000 implements MigrationInterface {
  name = 'IncidentMerge1765036800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "incident" ADD "merged_into_id" uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "incident" DROP COLUMN "merged_into_id"');
  }
}
