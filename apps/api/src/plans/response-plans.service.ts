import { alarmsOf, AlarmLevel, planFor, Priority, ResponsePlan, Tier } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ResponsePlanRow, ResponsePlanVariantRow } from '@cad/db';
import { NotFound } from '../common/errors';

/** A stored response plan row (a type's own plan, or one of its priority variants) as the domain's plan. */
export function planOfRow(r: ResponsePlanRow | ResponsePlanVariantRow): ResponsePlan {
  return {
    callType: r.callType,
    slots: r.slots,
    commandingTier: r.commandingTier as Tier,
    derivedFrom: r.derivedFrom,
    ...(r.alarms ? { alarms: r.alarms as AlarmLevel[] } : {}),
    ...('priority' in r ? { priority: r.priority as Priority } : {}),
  };
}

/** One plan as the API shows it: first-alarm slots, commanding tier, every alarm level, and `priority` (null: the type's own plan). */
function oneView(p: ResponsePlan) {
  return { callType: p.callType, priority: p.priority ?? null, slots: p.slots, commandingTier: p.commandingTier, derivedFrom: p.derivedFrom, alarms: alarmsOf(p) };
}

/**
 * A plan as the API shows it: the type's own plan (`priority` null) as before issue 20, and its
 * priority `variants` (each in the same shape, `priority` 1..3; `[]` when none).
 */
export function planView(p: ResponsePlan) {
  return { ...oneView(p), variants: (p.variants ?? []).map(oneView) };
}

/** What `put` stores: a plan's first alarm, its commanding tier and its further alarm levels. */
export interface PlanInput {
  slots: Record<string, number>;
  commandingTier: Tier;
  alarms?: AlarmLevel[];
}

/**
 * Response plans (run cards) stored as data: seeded from what SFFD sent per call type and per (call
 * type, priority) where the history has enough incidents (issue 20), editable by a city commander. An
 * incident gets the plan of its type and priority (`planFor`): its priority variant, else its type's
 * plan, else the fallback plan (one engine).
 */
@Injectable()
export class ResponsePlansService {
  constructor(private readonly ds: DataSource) {}

  /** Every stored type plan, keyed by call type, each with its priority variants (most urgent first). */
  async all(): Promise<Map<string, ResponsePlan>> {
    const [rows, variants] = await Promise.all([
      this.ds.getRepository(ResponsePlanRow).find({ order: { callType: 'ASC' } }),
      this.ds.getRepository(ResponsePlanVariantRow).find({ order: { callType: 'ASC', priority: 'ASC' } }),
    ]);
    return assemble(rows, variants);
  }

  /**
   * The plan that applies to an incident of a call type and priority (see `planFor`); without a
   * priority, the type's own plan. The fallback plan when nothing is stored.
   */
  of(callType: string, priority?: number): Promise<ResponsePlan> {
    return storedPlanFor(this.ds.manager, callType, priority);
  }

  /**
   * Creates or replaces a call type's plan, or (with `priority`) its variant for that priority.
   * `alarms` lists what each further alarm adds (level 2 and up); the first alarm is `slots`.
   * @returns the type's plan as `planView` shows it (with every variant)
   * @throws NotFound when a variant is put for a call type with no stored plan of its own
   */
  async put(callType: string, plan: PlanInput, priority?: Priority) {
    const alarms = plan.alarms?.length
      ? [{ level: 1, slots: plan.slots, commandingTier: plan.commandingTier }, ...plan.alarms.filter((a) => a.level > 1)]
      : null;
    const row = { callType, slots: plan.slots, commandingTier: plan.commandingTier, alarms: alarms as ResponsePlanRow['alarms'] };
    if (priority === undefined) {
      const existing = await this.ds.getRepository(ResponsePlanRow).findOneBy({ callType });
      await this.ds.getRepository(ResponsePlanRow).save({ ...row, derivedFrom: existing?.derivedFrom ?? 0 });
    } else {
      if (!(await this.ds.getRepository(ResponsePlanRow).existsBy({ callType }))) throw new NotFound('response plan', callType);
      const existing = await this.ds.getRepository(ResponsePlanVariantRow).findOneBy({ callType, priority });
      await this.ds.getRepository(ResponsePlanVariantRow).save({ ...row, priority, derivedFrom: existing?.derivedFrom ?? 0 });
    }
    return this.stored(callType);
  }

  /**
   * Deletes a call type's variant for one priority: incidents of that priority get the type's plan again.
   * @returns the type's plan as `planView` shows it
   * @throws NotFound when no such variant is stored
   */
  async deleteVariant(callType: string, priority: Priority) {
    const r = await this.ds.getRepository(ResponsePlanVariantRow).delete({ callType, priority });
    if (!r.affected) throw new NotFound('response plan', `${callType} (P${priority})`);
    return this.stored(callType);
  }

  /**
   * The stored plan of a call type, with its variants; with `priority`, that variant alone.
   * @throws NotFound when no plan (or no such variant) is stored
   */
  async stored(callType: string, priority?: Priority) {
    const plan = await typePlan(this.ds.manager, callType);
    if (!plan) throw new NotFound('response plan', callType);
    if (priority === undefined) return planView(plan);
    const variant = plan.variants?.find((v) => v.priority === priority);
    if (!variant) throw new NotFound('response plan', `${callType} (P${priority})`);
    return oneView(variant);
  }
}

/**
 * The stored plan that applies to a call type and priority, read in `m` (intake reads it in the
 * transaction that opens the incident): its variant, else the type's plan, else the fallback (`planFor`).
 */
export async function storedPlanFor(m: EntityManager, callType: string, priority?: number): Promise<ResponsePlan> {
  const own = await typePlan(m, callType, priority !== undefined);
  return planFor(new Map(own ? [[callType, own]] : []), callType, priority);
}

/** One call type's stored plan (with its variants unless `withVariants` is false), read in `m`; undefined when none is stored. */
async function typePlan(m: EntityManager, callType: string, withVariants = true): Promise<ResponsePlan | undefined> {
  // One statement for the plan and its variants (issue 19's profile: intake and dispatch each read both
  // with two TypeORM finds, four round trips per call).
  const [row]: (Omit<ResponsePlanRow, 'callType'> & { variants: Omit<ResponsePlanVariantRow, 'callType'>[] })[] = await m.query(
    `SELECT r.slots, r.commanding_tier AS "commandingTier", r.derived_from AS "derivedFrom", r.alarms,
            CASE WHEN $2 THEN (SELECT COALESCE(json_agg(json_build_object('priority', v.priority, 'slots', v.slots, 'commandingTier', v.commanding_tier,
                                                                          'derivedFrom', v.derived_from, 'alarms', v.alarms) ORDER BY v.priority), '[]'::json)
                                 FROM response_plan_variant v WHERE v.call_type = r.call_type)
                 ELSE '[]'::json END AS variants
       FROM response_plan r WHERE r.call_type = $1`,
    [callType, withVariants],
  );
  if (!row) return undefined;
  const { variants, ...own } = row;
  return assemble([{ callType, ...own }], variants.map((v) => ({ callType, ...v }))).get(callType);
}

/** Type plans keyed by call type, each with its variants; variants of a type with no stored plan are left out. */
function assemble(rows: readonly ResponsePlanRow[], variants: readonly ResponsePlanVariantRow[]): Map<string, ResponsePlan> {
  const plans = new Map(rows.map((r) => [r.callType, planOfRow(r)]));
  for (const v of variants) {
    const own = plans.get(v.callType);
    if (own) own.variants = [...(own.variants ?? []), planOfRow(v)];
  }
  return plans;
}
