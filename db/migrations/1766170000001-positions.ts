import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Positions to trust: `device_clock` (each device's estimated clock offset), `avl_fix` (every AVL
 * fix with device, corrected and receive times, kept `AVL_RETENTION_H`), `avl_current` (each unit's
 * current fix and the run of disagreeing fixes), `place_name` (place names the city added to the
 * address lookup), `location_alert` (LOCATION CHANGED alerts crews acknowledge); the incident's
 * `location_unconfirmed` flag with the device point, and the call's device accuracy.
 */
export class Positions1766170000001 implements MigrationInterface {
  name = 'Positions1766170000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "device_clock" ("device_id" character varying(80) NOT NULL, "offset_ms" double precision NOT NULL, "last_sample_ms" double precision NOT NULL, "samples" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_device_clock" PRIMARY KEY ("device_id"))`,
    );
    await q.query(
      `CREATE TABLE "avl_fix" ("id" BIGSERIAL NOT NULL, "unit_id" character varying(40) NOT NULL, "device_id" character varying(80) NOT NULL, "seq" bigint, "lat" double precision NOT NULL, "lon" double precision NOT NULL, "accuracy_m" double precision, "device_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fixed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verdict" character varying(20) NOT NULL, "implied_kmh" double precision, CONSTRAINT "PK_avl_fix" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "avl_fix_unit_time" ON "avl_fix" ("unit_id", "fixed_at") `);
    await q.query(`CREATE INDEX "IDX_avl_fix_fixed_at" ON "avl_fix" ("fixed_at") `);
    await q.query(
      `CREATE TABLE "avl_current" ("unit_id" character varying(40) NOT NULL, "lat" double precision NOT NULL, "lon" double precision NOT NULL, "accuracy_m" double precision, "fixed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "run_lat" double precision, "run_lon" double precision, "run_at" TIMESTAMP WITH TIME ZONE, "run_length" integer NOT NULL DEFAULT 0, CONSTRAINT "PK_avl_current" PRIMARY KEY ("unit_id"))`,
    );
    await q.query(
      `CREATE TABLE "place_name" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "normalised" character varying(200) NOT NULL, "name" character varying(200) NOT NULL, "lat" double precision NOT NULL, "lon" double precision NOT NULL, "created_by" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_place_name" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "IDX_place_name_normalised" ON "place_name" ("normalised") `);
    await q.query(
      `CREATE TABLE "location_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "unit_id" character varying(40) NOT NULL, "old_address" text, "new_address" text, "old_lat" double precision NOT NULL, "old_lon" double precision NOT NULL, "new_lat" double precision NOT NULL, "new_lon" double precision NOT NULL, "reason" text NOT NULL, "changed_by" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "acknowledged_at" TIMESTAMP WITH TIME ZONE, "overdue_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_location_alert" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_location_alert_incident_id" ON "location_alert" ("incident_id") `);
    await q.query(`CREATE INDEX "IDX_location_alert_unit_id" ON "location_alert" ("unit_id") `);
    await q.query(`CREATE INDEX "location_alert_open" ON "location_alert" ("created_at") WHERE acknowledged_at IS NULL`);
    await q.query(`ALTER TABLE "incident" ADD "location_unconfirmed" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "incident" ADD "device_lat" double precision`);
    await q.query(`ALTER TABLE "incident" ADD "device_lon" double precision`);
    await q.query(`ALTER TABLE "incident" ADD "device_accuracy_m" double precision`);
    await q.query(`ALTER TABLE "call" ADD "accuracy_m" double precision`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "call" DROP COLUMN "accuracy_m"`);
    for (const c of ['device_accuracy_m', 'device_lon', 'device_lat', 'location_unconfirmed']) await q.query(`ALTER TABLE "incident" DROP COLUMN "${c}"`);
    for (const t of ['location_alert', 'place_name', 'avl_current', 'avl_fix', 'device_clock']) await q.query(`DROP TABLE "${t}"`);
  }
}
