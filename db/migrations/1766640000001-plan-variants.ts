import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Response plans per call type and priority (issue 20): `response_plan_variant` holds a type's plan for
 * one priority, keyed by `(call_type, priority)`; `response_plan` stays the type's own plan, used for
 * every priority without a variant. Variants are filled by the next import (`derivePlans`).
 */
export class PlanVariants1766640000001 implements MigrationInterface {
  name = 'PlanVariants1766640000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "response_plan_variant" ("call_type" character varying(120) NOT NULL, "priority" smallint NOT NULL, "slots" jsonb NOT NULL, "commanding_tier" character varying(10) NOT NULL, "derived_from" integer NOT NULL, "alarms" jsonb, CONSTRAINT "PK_response_plan_variant" PRIMARY KEY ("call_type", "priority"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "response_plan_variant"`);
  }
}
