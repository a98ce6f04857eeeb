import { MigrationInterface, QueryRunner } from 'typeorm';

/** Alarm levels of response plans (what a second or third alarm adds, and the tier that then commands). */
export class PlanAlarms1764777600000 implements MigrationInterface {
  name = 'PlanAlarms1764777600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "response_plan" ADD "alarms" jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "response_plan" DROP COLUMN "alarms"');
  }
}
