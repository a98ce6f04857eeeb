import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that can be disabled and have their sessions ended (`disabled_at`, `token_version`), demo
 * accounts told apart (`demo`), a commander whose first password is still to be set (nullable
 * `password_hash`), and the append-only audit trail (`audit_event`, guarded by a trigger that refuses
 * UPDATE, DELETE and TRUNCATE even for the table's owner).
 *
 * Every account that existed before this migration was a demo seed (there was no other way to create
 * one), so those accounts are marked as demo accounts and such a record as a demo record.
 */
export class AccountsAudit1766270000001 implements MigrationInterface {
  name = 'AccountsAudit1766270000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "app_user" ALTER COLUMN "password_hash" DROP NOT NULL');
    await q.query('ALTER TABLE "app_user" ADD "disabled_at" TIMESTAMP WITH TIME ZONE');
    await q.query('ALTER TABLE "app_user" ADD "token_version" integer NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE "app_user" ADD "demo" boolean NOT NULL DEFAULT false');
    await q.query('UPDATE "app_user" SET "demo" = true');
    await q.query(`INSERT INTO app_setting (key, value) SELECT 'demo_record', 'true' WHERE EXISTS (SELECT 1 FROM app_user) ON CONFLICT (key) DO NOTHING`);
    await q.query(
      'CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" character varying(120) NOT NULL, "action" character varying(60) NOT NULL, "subject" character varying(200), "source" character varying(64), "before" jsonb, "after" jsonb, CONSTRAINT "PK_audit_event_id" PRIMARY KEY ("id"))',
    );
    await q.query('CREATE INDEX "IDX_audit_event_at" ON "audit_event" ("at") ');
    await q.query('CREATE INDEX "IDX_audit_event_actor_at" ON "audit_event" ("actor", "at") ');
    await q.query('CREATE INDEX "IDX_audit_event_action_at" ON "audit_event" ("action", "at") ');
    await q.query(`CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query('CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()');
    await q.query('CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()');
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM PUBLIC');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "audit_event"');
    await q.query('DROP FUNCTION IF EXISTS audit_event_append_only()');
    await q.query(`DELETE FROM app_setting WHERE key = 'demo_record'`);
    await q.query('ALTER TABLE "app_user" DROP COLUMN "demo"');
    await q.query('ALTER TABLE "app_user" DROP COLUMN "token_version"');
    await q.query('ALTER TABLE "app_user" DROP COLUMN "disabled_at"');
    await q.query(`UPDATE "app_user" SET "password_hash" = '!' WHERE "password_hash" IS NULL`);
    await q.query('ALTER TABLE "app_user" ALTER COLUMN "password_hash" SET NOT NULL');
  }
}
