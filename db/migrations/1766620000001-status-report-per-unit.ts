import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A crew status report's `reportId` (its idempotency key) is scoped to its unit: the key of
 * `status_report` becomes `(unit_id, report_id)`, so one unit reusing an id another unit used is a
 * new report of its own, never a 409 naming the other unit's task. Existing rows take the unit of
 * their task.
 */
export class StatusReportPerUnit1766620000001 implements MigrationInterface {
  name = 'StatusReportPerUnit1766620000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "status_report" ADD "unit_id" character varying(40) NOT NULL DEFAULT ''`);
    await q.query(`UPDATE "status_report" s SET "unit_id" = a."unit_id" FROM "assignment" a WHERE a."id" = s."assignment_id"`);
    await q.query(`ALTER TABLE "status_report" ALTER COLUMN "unit_id" DROP DEFAULT`);
    await q.query(`ALTER TABLE "status_report" DROP CONSTRAINT "PK_status_report"`);
    await q.query(`ALTER TABLE "status_report" ADD CONSTRAINT "PK_status_report" PRIMARY KEY ("unit_id", "report_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Ids shared by several units keep one row (the first received) under the old, global key.
    await q.query(`DELETE FROM "status_report" s USING "status_report" o WHERE s."report_id" = o."report_id" AND (s."received_at", s."unit_id") > (o."received_at", o."unit_id")`);
    await q.query(`ALTER TABLE "status_report" DROP CONSTRAINT "PK_status_report"`);
    await q.query(`ALTER TABLE "status_report" DROP COLUMN "unit_id"`);
    await q.query(`ALTER TABLE "status_report" ADD CONSTRAINT "PK_status_report" PRIMARY KEY ("report_id")`);
  }
}
