import { MigrationInterface, QueryRunner } from 'typeorm';

/** Road closures of a drill scenario: applied to that drill's routing only, never to live work. */
export class DrillClosures1764950400000 implements MigrationInterface {
  name = 'DrillClosures1764950400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "road_closure" ADD "drill_id" character varying(80)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "road_closure" DROP COLUMN "drill_id"');
  }
}
