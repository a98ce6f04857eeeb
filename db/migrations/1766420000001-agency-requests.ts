import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agencies dispatched by request (issue 21): `agency_request`, one row per plan slot the command centre
 * asks of another agency's post (police, the utilities), answered by the post (accepted with a unit,
 * or declined) or marked unanswered past its due time.
 */
export class AgencyRequests1766420000001 implements MigrationInterface {
  name = 'AgencyRequests1766420000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "agency_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "world" character varying(64) NOT NULL, "slot" character varying(40) NOT NULL, "agency" character varying(20) NOT NULL, "capability" character varying(20) NOT NULL, "status" character varying(12) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "unanswered_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "answered_by" character varying(80), "unit_id" character varying(40), "assignment_id" uuid, "note" text, CONSTRAINT "PK_agency_request_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "agency_request_slot" ON "agency_request" ("incident_id", "slot") `);
    await q.query(`CREATE INDEX "agency_request_open_due" ON "agency_request" ("due_at") WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."agency_request_open_due"`);
    await q.query(`DROP INDEX "public"."agency_request_slot"`);
    await q.query(`DROP TABLE "agency_request"`);
  }
}
