import { MigrationInterface, QueryRunner } from 'typeorm';

/** Text messages from dispatchers to units' phones, with their read receipts (issue 26): `unit_message`. */
export class UnitMessages1766440000001 implements MigrationInterface {
  name = 'UnitMessages1766440000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "unit_message" ("id" BIGSERIAL NOT NULL, "unit_id" character varying(40) NOT NULL, "incident_id" uuid, "text" character varying(500) NOT NULL, "sent_by" character varying(120) NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_unit_message_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_unit_message_unit_sent" ON "unit_message" ("unit_id", "sent_at") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_unit_message_unit_sent"`);
    await q.query(`DROP TABLE "unit_message"`);
  }
}
