import { MigrationInterface, QueryRunner } from 'typeorm';

/** Premise and hazard notes kept at addresses (issue 26): `premise_note`. */
export class PremiseNotes1766440000002 implements MigrationInterface {
  name = 'PremiseNotes1766440000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "premise_note" ("id" BIGSERIAL NOT NULL, "lat" double precision NOT NULL, "lon" double precision NOT NULL, "address" character varying(200), "kind" character varying(20) NOT NULL, "text" character varying(1000) NOT NULL, "updated_by" character varying(120) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_premise_note_id" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_premise_note_lat_lon" ON "premise_note" ("lat", "lon") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_premise_note_lat_lon"`);
    await q.query(`DROP TABLE "premise_note"`);
  }
}
