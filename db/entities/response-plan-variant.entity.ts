import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A priority variant of a call type's response plan (issue 20): what an incident of that type and
 * priority gets instead of the type's own plan (`response_plan`). Derived at import where the history
 * holds enough incidents of the pair (`derivePlans`), editable by a city commander. A variant is only
 * written beside its type's plan (`ResponsePlansService.put` refuses one without it).
 */
@Entity('response_plan_variant')
export class ResponsePlanVariantRow {
  @PrimaryColumn('varchar', { length: 120, name: 'call_type', primaryKeyConstraintName: 'PK_response_plan_variant' }) callType: string;
  /** 1 (emergency), 2 (urgent) or 3 (non-emergency). */
  @PrimaryColumn('smallint', { primaryKeyConstraintName: 'PK_response_plan_variant' }) priority: number;
  /** Units per primary capability, e.g. `{"ambulance":1}`. */
  @Column('jsonb') slots: Record<string, number>;
  @Column('varchar', { length: 10, name: 'commanding_tier' }) commandingTier: string;
  /** Historical incidents of the pair it was derived from (0: written by hand). */
  @Column('int', { name: 'derived_from' }) derivedFrom: number;
  /** Alarm levels as in `response_plan.alarms`; null: derived from `slots`. */
  @Column('jsonb', { nullable: true }) alarms: { level: number; slots: Record<string, number>; commandingTier: string }[] | null;
}
