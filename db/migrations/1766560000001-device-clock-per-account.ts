import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `device_clock` keyed by account and device: a clock offset is learned from one account's requests
 * and applies to that account's reports only, so one account cannot move another's stamps. Offsets
 * learned before (keyed by device alone, any account could have fed them) are dropped: each device's
 * next request measures it again.
 */
export class DeviceClockPerAccount1766560000001 implements MigrationInterface {
  name = 'DeviceClockPerAccount1766560000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP CONSTRAINT "PK_device_clock"`);
    await q.query(`ALTER TABLE "device_clock" ADD "account" character varying(80) NOT NULL`);
    await q.query(`ALTER TABLE "device_clock" ADD CONSTRAINT "PK_device_clock" PRIMARY KEY ("account", "device_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP CONSTRAINT "PK_device_clock"`);
    await q.query(`ALTER TABLE "device_clock" DROP COLUMN "account"`);
    await q.query(`ALTER TABLE "device_clock" ADD CONSTRAINT "PK_device_clock" PRIMARY KEY ("device_id")`);
  }
}
