import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two partial indexes the drill's steps read through (issue 19, the drill's speed): `incident.drill_id`
 * (a drill's open tasks and its incidents waiting for units, after every step) and
 * `call.suggested_incident_id` (every incident view reads the calls suggested as its duplicates).
 * Without them each read scanned every incident or call ever recorded, so a drill slowed as the record grew.
 */
export class DrillReadIndexes1766540000001 implements MigrationInterface {
  name = 'DrillReadIndexes1766540000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "incident_drill" ON "incident" ("drill_id") WHERE drill_id IS NOT NULL`);
    await q.query(`CREATE INDEX "call_suggested_incident" ON "call" ("suggested_incident_id") WHERE suggested_incident_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."call_suggested_incident"`);
    await q.query(`DROP INDEX "public"."incident_drill"`);
  }
}
