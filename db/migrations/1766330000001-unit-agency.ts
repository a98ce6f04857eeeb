import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Any city, any agency (issue 21): every unit belongs to an agency (fire, EMS, police, water or gas
 * utility), read from the city's fleet file; units imported before this are fire department units.
 */
export class UnitAgency1766330000001 implements MigrationInterface {
  name = 'UnitAgency1766330000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "unit" ADD "agency" character varying(20) NOT NULL DEFAULT 'fire'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "unit" DROP COLUMN "agency"`);
  }
}
