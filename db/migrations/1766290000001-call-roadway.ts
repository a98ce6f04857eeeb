import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roads to trust (issue 18): a call, and the incident it opens, may name the roadway a traffic collision
 * is on and the direction of travel, so the incident snaps to that carriageway (a tunnel, a motorway)
 * instead of the nearest surface street.
 */
export class CallRoadway1766290000001 implements MigrationInterface {
  name = 'CallRoadway1766290000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['call', 'incident']) {
      await q.query(`ALTER TABLE "${table}" ADD "roadway" character varying(80)`);
      await q.query(`ALTER TABLE "${table}" ADD "heading_degrees" double precision`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['incident', 'call']) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "heading_degrees"`);
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "roadway"`);
    }
  }
}
