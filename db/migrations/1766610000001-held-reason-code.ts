import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An incident's held reason coded beside its English text: `last_error_code` (a `HeldReasonCode` of
 * `@cad/domain`) and `last_error_params` (the names and numbers it cites), so a console words it in its
 * own language. Older rows keep both null and are coded from their text where it is known.
 */
export class HeldReasonCode1766610000001 implements MigrationInterface {
  name = 'HeldReasonCode1766610000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "incident" ADD "last_error_code" text`);
    await q.query(`ALTER TABLE "incident" ADD "last_error_params" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "incident" DROP COLUMN "last_error_params"`);
    await q.query(`ALTER TABLE "incident" DROP COLUMN "last_error_code"`);
  }
}
