import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowing the situation (issue 24): versioned damage reports, daily briefings (once per jurisdiction,
 * world and local date) and residents' reports waiting for a call taker.
 */
export class Sitrep1766350000001 implements MigrationInterface {
  name = 'Sitrep1766350000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "damage_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject" character varying(160) NOT NULL, "version" integer NOT NULL, "world" character varying(80) NOT NULL, "incident_id" uuid, "street_id" character varying(120) NOT NULL, "district_id" character varying(120), "figures" jsonb NOT NULL, "blocked_roads" jsonb NOT NULL, "notes" text, "author" character varying(120) NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_73e26be72b3dd4dda5a46f41aaf" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "damage_report_street" ON "damage_report" ("street_id", "reported_at")`);
    await q.query(`CREATE UNIQUE INDEX "damage_report_subject_version" ON "damage_report" ("subject", "world", "version")`);
    await q.query(`CREATE TABLE "briefing" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "jurisdiction_id" character varying(120) NOT NULL, "world" character varying(80) NOT NULL, "local_date" character varying(10) NOT NULL, "period_from" TIMESTAMP WITH TIME ZONE NOT NULL, "period_to" TIMESTAMP WITH TIME ZONE NOT NULL, "report" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c6ab4398f71fe86c63057712da0" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "briefing_once_per_local_date" ON "briefing" ("jurisdiction_id", "world", "local_date")`);
    await q.query(`CREATE TABLE "public_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(12) NOT NULL, "type" character varying(120) NOT NULL, "description" text NOT NULL, "lat" double precision NOT NULL, "lon" double precision NOT NULL, "accuracy_m" double precision, "street_id" character varying(120), "contact" character varying(40), "language" character varying(10) NOT NULL, "state" character varying(12) NOT NULL, "suggested_incident_id" uuid, "call_id" uuid, "incident_id" uuid, "reviewed_by" character varying(120), "reviewed_at" TIMESTAMP WITH TIME ZONE, "device_hash" character varying(64) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1af82de239cf99a5ba1f66a4660" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "public_report_queue" ON "public_report" ("state", "received_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "public_report"`);
    await q.query(`DROP TABLE "briefing"`);
    await q.query(`DROP TABLE "damage_report"`);
  }
}
