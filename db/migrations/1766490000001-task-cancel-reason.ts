import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `assignment.cancel_reason`: why a crew cleared its task before on scene (a cancel), one of the
 * domain's `TASK_CANCEL_REASONS`; null for a task that ran its course or was taken back by the system.
 */
export class TaskCancelReason1766490000001 implements MigrationInterface {
  name = 'TaskCancelReason1766490000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "assignment" ADD "cancel_reason" character varying(40)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "assignment" DROP COLUMN "cancel_reason"`);
  }
}
