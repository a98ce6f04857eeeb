import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An orderly stop told apart from an outage: each process's heartbeat records when it was stopped on
 * purpose (`stopped_at`, written as it shuts down), and an outage records whether every API process up
 * before the gap had been stopped that way (`planned`).
 */
export class OrderlyStop1766710000001 implements MigrationInterface {
  name = 'OrderlyStop1766710000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "heartbeat" ADD "stopped_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "outage" ADD "planned" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outage" DROP COLUMN "planned"`);
    await q.query(`ALTER TABLE "heartbeat" DROP COLUMN "stopped_at"`);
  }
}
