import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch rounds (issue 19): `incident.decided_revision`, the revision at which a dispatch round (or
 * a per-incident dispatch) last decided the incident (units sent, or waiting with a reason). An incident
 * `received` with no decision at its current revision is due for a round; a dispatch job for a
 * revision already decided does nothing.
 */
export class DispatchRounds1766400000001 implements MigrationInterface {
  name = 'DispatchRounds1766400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "incident" ADD "decided_revision" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "incident" DROP COLUMN "decided_revision"`);
  }
}
