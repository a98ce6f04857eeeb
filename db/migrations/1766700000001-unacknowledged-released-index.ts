import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partial index on the tasks taken back for want of acknowledgement (`released_reason =
 * 'not_acknowledged'`), by incident: `requeueUnreplaced` looks for those nobody replaced after every
 * unit freed in the live world and at every reconciler sweep (every 5 s), and without it each look
 * scanned every task ever recorded, so it slowed as the record grew.
 */
export class UnacknowledgedReleasedIndex1766700000001 implements MigrationInterface {
  name = 'UnacknowledgedReleasedIndex1766700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "assignment_released_unacknowledged" ON "assignment" ("incident_id") WHERE released_reason = 'not_acknowledged'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."assignment_released_unacknowledged"`);
  }
}
