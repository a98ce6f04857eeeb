import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `avl_current.run_since`: the corrected time of the first fix of a unit's run of disagreeing fixes, so
 * a run re-establishes the track only once it spans `AVL_REESTABLISH_S` (a burst of agreeing bad fixes
 * in a few seconds moves nothing).
 */
export class AvlRunSince1766450000001 implements MigrationInterface {
  name = 'AvlRunSince1766450000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "avl_current" ADD "run_since" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "avl_current" DROP COLUMN "run_since"`);
  }
}
