import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `incident.auto_dispatch`: false once units stopped being sent automatically (too many crews failed
 * to acknowledge) until a dispatcher assigns one; `unit.out_of_service_by`: who took a unit out of
 * service (a crew may undo only its own or the timer's); `call_number_seq`: numbers for calls taken
 * without one.
 */
export class DispatchHolds1765209600000 implements MigrationInterface {
  name = 'DispatchHolds1765209600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "incident" ADD "auto_dispatch" boolean NOT NULL DEFAULT true');
    await q.query('ALTER TABLE "unit" ADD "out_of_service_by" character varying(80)');
    await q.query('CREATE SEQUENCE IF NOT EXISTS "call_number_seq"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SEQUENCE IF EXISTS "call_number_seq"');
    await q.query('ALTER TABLE "unit" DROP COLUMN "out_of_service_by"');
    await q.query('ALTER TABLE "incident" DROP COLUMN "auto_dispatch"');
  }
}
