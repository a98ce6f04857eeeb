import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call record (issue 26): `caller_contact` (caller name and callback number, apart from the event
 * log's public payloads, deleted after `CALLER_RETENTION_DAYS`), `incident_narrative` (timestamped
 * narrative entries by author) and `call_answer` (answers to the call-taking questions of the call's type).
 */
export class CallRecord1766360000001 implements MigrationInterface {
  name = 'CallRecord1766360000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "caller_contact" ("call_id" uuid NOT NULL, "caller_name" character varying(120), "callback_number" character varying(40) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "recorded_by" character varying(120) NOT NULL, CONSTRAINT "PK_caller_contact_call_id" PRIMARY KEY ("call_id"))`,
    );
    await q.query(`CREATE INDEX "IDX_caller_contact_recorded_at" ON "caller_contact" ("recorded_at") `);
    await q.query(
      `CREATE TABLE "incident_narrative" ("id" BIGSERIAL NOT NULL, "incident_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "author" character varying(120) NOT NULL, "text" character varying(2000) NOT NULL, CONSTRAINT "PK_incident_narrative_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_incident_narrative_incident_at" ON "incident_narrative" ("incident_id", "at") `);
    await q.query(
      `CREATE TABLE "call_answer" ("call_id" uuid NOT NULL, "question_id" character varying(40) NOT NULL, "answer" character varying(500) NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "answered_by" character varying(120) NOT NULL, CONSTRAINT "PK_call_answer" PRIMARY KEY ("call_id", "question_id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "call_answer"`);
    await q.query(`DROP INDEX "public"."IDX_incident_narrative_incident_at"`);
    await q.query(`DROP TABLE "incident_narrative"`);
    await q.query(`DROP INDEX "public"."IDX_caller_contact_recorded_at"`);
    await q.query(`DROP TABLE "caller_contact"`);
  }
}
