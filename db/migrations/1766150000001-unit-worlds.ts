import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Worlds (issue 15): a unit's state is keyed by (world, id), `world` being `live` or a drill run id,
 * so a drill dispatches its own copy of the fleet and never a live unit. Assignments carry the world
 * of their unit (one active assignment per unit per world), and every event its world: the trigger
 * `incident_event_world` copies the world of the event's incident (its drill id) into the row.
 */
export class UnitWorlds1766150000001 implements MigrationInterface {
  name = 'UnitWorlds1766150000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "unit" ADD "world" character varying(80) NOT NULL DEFAULT 'live'`);
    await q.query(`ALTER TABLE "unit" DROP CONSTRAINT "PK_4252c4be609041e559f0c80f58a"`);
    await q.query(`ALTER TABLE "unit" ADD CONSTRAINT "PK_d9359133e0b2d1429b1fa352ca5" PRIMARY KEY ("world", "id")`);
    await q.query(`ALTER TABLE "assignment" ADD "world" character varying(80) NOT NULL DEFAULT 'live'`);
    await q.query(`UPDATE "assignment" a SET "world" = i.drill_id FROM "incident" i WHERE i.id = a.incident_id AND i.drill_id IS NOT NULL`);
    await q.query(`DROP INDEX "public"."assignment_one_active_per_unit"`);
    await q.query(`CREATE UNIQUE INDEX "assignment_one_active_per_unit" ON "assignment" ("world", "unit_id") WHERE status <> 'cleared'`);
    await q.query(`ALTER TABLE "incident_event" ADD "world" character varying(80) NOT NULL DEFAULT 'live'`);
    await q.query(`UPDATE "incident_event" e SET "world" = i.drill_id FROM "incident" i WHERE i.id = e.incident_id AND i.drill_id IS NOT NULL`);
    await q.query(`CREATE OR REPLACE FUNCTION cad_event_world() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.incident_id IS NOT NULL THEN
          SELECT COALESCE(i.drill_id, NEW.world) INTO NEW.world FROM incident i WHERE i.id = NEW.incident_id;
          NEW.world := COALESCE(NEW.world, 'live');
        END IF;
        RETURN NEW;
      END $$`);
    await q.query('CREATE TRIGGER incident_event_world BEFORE INSERT ON "incident_event" FOR EACH ROW EXECUTE FUNCTION cad_event_world()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS incident_event_world ON "incident_event"');
    await q.query('DROP FUNCTION IF EXISTS cad_event_world()');
    await q.query(`ALTER TABLE "incident_event" DROP COLUMN "world"`);
    await q.query(`DROP INDEX "public"."assignment_one_active_per_unit"`);
    await q.query(`CREATE UNIQUE INDEX "assignment_one_active_per_unit" ON "assignment" ("unit_id") WHERE status <> 'cleared'`);
    await q.query(`ALTER TABLE "assignment" DROP COLUMN "world"`);
    await q.query(`DELETE FROM "unit" WHERE "world" <> 'live'`);
    await q.query(`ALTER TABLE "unit" DROP CONSTRAINT "PK_d9359133e0b2d1429b1fa352ca5"`);
    await q.query(`ALTER TABLE "unit" ADD CONSTRAINT "PK_4252c4be609041e559f0c80f58a" PRIMARY KEY ("id")`);
    await q.query(`ALTER TABLE "unit" DROP COLUMN "world"`);
  }
}
