import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Through an outage (issue 16): each process's heartbeat, the outages seen in them (acknowledgement
 * deadlines that fell due in one wait a grace period), crews' status reports by their client id
 * (applied once), and calls taken on a console while the system was down (`taken_offline`).
 */
export class Outages1766300000001 implements MigrationInterface {
  name = 'Outages1766300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "heartbeat" ("process_id" character varying(160) NOT NULL, "role" character varying(20) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "beat_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_heartbeat" PRIMARY KEY ("process_id"))`,
    );
    await q.query(`CREATE INDEX "heartbeat_role_beat" ON "heartbeat" ("role")`);
    await q.query(
      `CREATE TABLE "outage" ("id" BIGSERIAL NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "detected_by" character varying(160) NOT NULL, CONSTRAINT "PK_outage" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "outage_started" ON "outage" ("started_at")`);
    await q.query(
      `CREATE TABLE "status_report" ("report_id" character varying(80) NOT NULL, "assignment_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "applied" boolean NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_status_report" PRIMARY KEY ("report_id"))`,
    );
    await q.query(`ALTER TABLE "call" ADD "taken_offline" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "call" DROP COLUMN "taken_offline"`);
    await q.query(`DROP TABLE "status_report"`);
    await q.query(`DROP TABLE "outage"`);
    await q.query(`DROP TABLE "heartbeat"`);
  }
}
