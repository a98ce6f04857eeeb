import { MigrationInterface, QueryRunner } from 'typeorm';

/** Drill runs and their after-action reports, kept across restarts and shared by every process. */
export class DrillRuns1765123200000 implements MigrationInterface {
  name = 'DrillRuns1765123200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE "drill_run" ("id" character varying(80) NOT NULL, "policy" character varying(20) NOT NULL, "state" character varying(20) NOT NULL, "view" jsonb NOT NULL, "report" jsonb, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_38687b34ba99bae8f6d9133fd12" PRIMARY KEY ("id"))',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "drill_run"');
  }
}
