import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a device's own word is worth.
 *
 * `device_clock` keyed by account and device: a clock offset is learned from one account's requests
 * and applies to that account's reports only, so one account cannot move another's stamps. Offsets
 * learned before (keyed by device alone, any account could have fed them) are dropped: each device's
 * next request measures it again.
 *
 * `avl_current.run_since_received`: when the server received the first fix of a unit's run of
 * disagreeing fixes, so a run re-establishes the track only once it spans `AVL_REESTABLISH_S` in
 * receipt times as well as in the device's (forgeable) stamps.
 */
export class DeviceTrust1766560000001 implements MigrationInterface {
  name = 'DeviceTrust1766560000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP CONSTRAINT "PK_device_clock"`);
    await q.query(`ALTER TABLE "device_clock" ADD "account" character varying(80) NOT NULL`);
    await q.query(`ALTER TABLE "device_clock" ADD CONSTRAINT "PK_device_clock" PRIMARY KEY ("account", "device_id")`);
    await q.query(`ALTER TABLE "avl_current" ADD "run_since_received" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "avl_current" DROP COLUMN "run_since_received"`);
    await q.query(`DELETE FROM "device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP CONSTRAINT "PK_device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP COLUMN "account"`);
    await q.query(`ALTER TABLE "device_clock" ADD CONSTRAINT "PK_device_clock" PRIMARY KEY ("device_id")`);
  }
}
