import { MigrationInterface, QueryRunner } from 'typeorm';

/** CAP alerts: the messages the city issues (drafts awaiting approval included) and those it receives. */
export class CapAlerts1766230000001 implements MigrationInterface {
  name = 'CapAlerts1766230000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE "cap_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "direction" character varying(10) NOT NULL, "state" character varying(12) NOT NULL, "version" character varying(4) NOT NULL, "sender" character varying(300) NOT NULL, "identifier" character varying(300) NOT NULL, "sent" character varying(40), "sent_at" TIMESTAMP WITH TIME ZONE, "status" character varying(12) NOT NULL, "msg_type" character varying(12) NOT NULL, "scope" character varying(12) NOT NULL, "references" text, "previous_id" uuid, "xml" text, "draft" jsonb, "infos" jsonb NOT NULL, "geometry" jsonb, "area_desc" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "author" character varying(80), "approver" character varying(80), "incident_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7ed8ede6e7de044909c0c62404e" PRIMARY KEY ("id"))',
    );
    await q.query('CREATE UNIQUE INDEX "cap_alert_identity" ON "cap_alert" ("sender", "identifier", "sent") ');
    await q.query('CREATE INDEX "cap_alert_recent" ON "cap_alert" ("direction", "sent_at") ');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "cap_alert"');
  }
}
