import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Command chain and incident lifecycle: escalations and durable deadlines, the commanding
 * jurisdiction of an incident, linked and suggested calls, acknowledged/transporting/at-hospital
 * task times and the time of the status in force (existing rows are back-filled); a unit may be
 * assigned to the same incident again after clearing.
 */
export class CommandChain1764518400000 implements MigrationInterface {
  name = 'CommandChain1764518400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "public"."assignment_incident_unit"');
    await q.query('CREATE INDEX "assignment_incident_unit" ON "assignment"  ("incident_id", "unit_id") ');
    await q.query("CREATE TABLE \"escalation\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"incident_id\" uuid NOT NULL, \"key\" character varying(160) NOT NULL, \"from_tier\" character varying(10) NOT NULL, \"to_tier\" character varying(10) NOT NULL, \"to_jurisdiction_id\" character varying(120) NOT NULL, \"reason\" character varying(40) NOT NULL, \"detail\" text NOT NULL, \"actor\" character varying(80) NOT NULL, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"recorded_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_2c9a4d9277ed8620a8a72813864\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_835e311598e467dd2002df6b13\" ON \"escalation\"  (\"incident_id\") ");
    await q.query("CREATE UNIQUE INDEX \"IDX_a57885b67bf209c85153108cb3\" ON \"escalation\"  (\"key\") ");
    await q.query("CREATE TABLE \"deadline\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"key\" character varying(160) NOT NULL, \"kind\" character varying(20) NOT NULL, \"incident_id\" uuid NOT NULL, \"assignment_id\" uuid, \"revision\" integer NOT NULL, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"state\" character varying(20) NOT NULL, \"fired_by\" character varying(20), \"fired_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_9b68db28fc035ed8a84691bfbaf\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_2e4aa675960f1eafe191dd3370\" ON \"deadline\"  (\"key\") ");
    await q.query("CREATE INDEX \"IDX_90db365aea1e3634b111f520c7\" ON \"deadline\"  (\"incident_id\") ");
    await q.query("CREATE INDEX \"deadline_pending_due\" ON \"deadline\"  (\"due_at\") WHERE state = 'pending'");
    await q.query("ALTER TABLE \"call\" ADD \"linked\" boolean NOT NULL DEFAULT false");
    await q.query("ALTER TABLE \"call\" ADD \"suggested_incident_id\" uuid");
    await q.query("ALTER TABLE \"call\" ADD \"unlinked_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("ALTER TABLE \"incident\" ADD \"commanding_jurisdiction_id\" character varying(120)");
    await q.query("UPDATE \"incident\" SET \"commanding_jurisdiction_id\" = CASE \"commanding_tier\" WHEN 'street' THEN \"street_id\" WHEN 'district' THEN \"district_id\" ELSE \"city_id\" END");
    await q.query("ALTER TABLE \"incident\" ADD \"closed_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("ALTER TABLE \"incident\" ADD \"disposition\" text");
    await q.query("ALTER TABLE \"assignment\" ADD \"acknowledged_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("ALTER TABLE \"assignment\" ADD \"transporting_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("ALTER TABLE \"assignment\" ADD \"at_hospital_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("ALTER TABLE \"assignment\" ADD \"status_at\" TIMESTAMP WITH TIME ZONE");
    await q.query("UPDATE \"assignment\" SET \"status_at\" = COALESCE(\"cleared_at\", \"on_scene_at\", \"en_route_at\", \"dispatched_at\")");
    await q.query("ALTER TABLE \"assignment\" ALTER COLUMN \"status_at\" SET NOT NULL");
    await q.query("CREATE INDEX \"IDX_34e42d0bae6cc32121fb636024\" ON \"incident\"  (\"commanding_jurisdiction_id\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"public\".\"IDX_34e42d0bae6cc32121fb636024\"");
    await q.query("ALTER TABLE \"assignment\" DROP COLUMN \"status_at\"");
    await q.query("ALTER TABLE \"assignment\" DROP COLUMN \"at_hospital_at\"");
    await q.query("ALTER TABLE \"assignment\" DROP COLUMN \"transporting_at\"");
    await q.query("ALTER TABLE \"assignment\" DROP COLUMN \"acknowledged_at\"");
    await q.query("ALTER TABLE \"incident\" DROP COLUMN \"disposition\"");
    await q.query("ALTER TABLE \"incident\" DROP COLUMN \"closed_at\"");
    await q.query("ALTER TABLE \"incident\" DROP COLUMN \"commanding_jurisdiction_id\"");
    await q.query("ALTER TABLE \"call\" DROP COLUMN \"unlinked_at\"");
    await q.query("ALTER TABLE \"call\" DROP COLUMN \"suggested_incident_id\"");
    await q.query("ALTER TABLE \"call\" DROP COLUMN \"linked\"");
    await q.query("DROP INDEX \"public\".\"deadline_pending_due\"");
    await q.query("DROP INDEX \"public\".\"IDX_90db365aea1e3634b111f520c7\"");
    await q.query("DROP INDEX \"public\".\"IDX_2e4aa675960f1eafe191dd3370\"");
    await q.query("DROP TABLE \"deadline\"");
    await q.query("DROP INDEX \"public\".\"IDX_a57885b67bf209c85153108cb3\"");
    await q.query("DROP INDEX \"public\".\"IDX_835e311598e467dd2002df6b13\"");
    await q.query("DROP TABLE \"escalation\"");
    await q.query('DROP INDEX "public"."assignment_incident_unit"');
    await q.query('CREATE UNIQUE INDEX "assignment_incident_unit" ON "assignment"  ("incident_id", "unit_id") ');
  }
}
