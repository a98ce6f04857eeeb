import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fidelity (issue 20): the travel model fitted at import is stored, and each task records the
 * turnout counted in its ETA (ETA = turnout + modelled travel, shown apart).
 */
export class TravelModel1766320000001 implements MigrationInterface {
  name = 'TravelModel1766320000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "travel_model" ("id" character varying(80) NOT NULL, "model" jsonb NOT NULL, "fitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_730c5f802020c3c63da06c0e94d" PRIMARY KEY ("id"))`,
    );
    await q.query(`ALTER TABLE "assignment" ADD "turnout_seconds" double precision`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "assignment" DROP COLUMN "turnout_seconds"`);
    await q.query(`DROP TABLE "travel_model"`);
  }
}
