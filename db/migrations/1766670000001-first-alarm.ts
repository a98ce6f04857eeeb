import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A call's and an incident's own first alarm (issue 20): units per capability that replace the first
 * alarm of the incident's response plan. Only drill calls carry one (a drill replaying a real day sends
 * what history sent to each call); null everywhere else, so live dispatch is unchanged.
 */
export class FirstAlarm1766670000001 implements MigrationInterface {
  name = 'FirstAlarm1766670000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "call" ADD "first_alarm" jsonb`);
    await q.query(`ALTER TABLE "incident" ADD "first_alarm" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "incident" DROP COLUMN "first_alarm"`);
    await q.query(`ALTER TABLE "call" DROP COLUMN "first_alarm"`);
  }
}
