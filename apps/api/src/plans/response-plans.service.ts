import { alarmsOf, AlarmLevel, planFor, ResponsePlan, Tier } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResponsePlanRow } from '@cad/db';
import { NotFound } from '../common/errors';

/** A stored response plan row as the domain's plan. */
export function planOfRow(r: ResponsePlanRow): ResponsePlan {
  return {
    callType: r.callType,
    slots: r.slots,
    commandingTier: r.commandingTier as Tier,
    derivedFrom: r.derivedFrom,
    ...(r.alarms ? { alarms: r.alarms as AlarmLevel[] } : {}),
  };
}

/** A plan as the API shows it: first-alarm slots, commanding tier, and every alarm level. */
export function planView(p: ResponsePlan) {
  return { callType: p.callType, slots: p.slots, commandingTier: p.commandingTier, derivedFrom: p.derivedFrom, alarms: alarmsOf(p) };
}

/**
 * Response plans (run cards) stored as data: seeded from what SFFD sent per call type, editable by a
 * city commander. A call type without a plan gets the fallback plan (one engine).
 */
@Injectable()
export class ResponsePlansService {
  constructor(private readonly ds: DataSource) {}

  /** Every stored plan, keyed by call type. */
  async all(): Promise<Map<string, ResponsePlan>> {
    const rows = await this.ds.getRepository(ResponsePlanRow).find({ order: { callType: 'ASC' } });
    return new Map(rows.map((r) => [r.callType, planOfRow(r)]));
  }

  /** The plan for a call type (the fallback plan when none is stored). */
  async of(callType: string): Promise<ResponsePlan> {
    const row = await this.ds.getRepository(ResponsePlanRow).findOneBy({ callType });
    return planFor(new Map(row ? [[row.callType, planOfRow(row)]] : []), callType);
  }

  /**
   * Creates or replaces a call type's plan. `alarms` lists what each further alarm adds (level 2 and
   * up); the first alarm is `slots`.
   * @returns the stored plan
   */
  async put(callType: string, plan: { slots: Record<string, number>; commandingTier: Tier; alarms?: AlarmLevel[] }) {
    const existing = await this.ds.getRepository(ResponsePlanRow).findOneBy({ callType });
    const alarms = plan.alarms?.length
      ? [{ level: 1, slots: plan.slots, commandingTier: plan.commandingTier }, ...plan.alarms.filter((a) => a.level > 1)]
      : null;
    await this.ds.getRepository(ResponsePlanRow).save({
      callType,
      slots: plan.slots,
      commandingTier: plan.commandingTier,
      derivedFrom: existing?.derivedFrom ?? 0,
      alarms: alarms as ResponsePlanRow['alarms'],
    });
    return planView(await this.of(callType));
  }

  /** @throws NotFound when no plan is stored for the call type */
  async stored(callType: string) {
    const row = await this.ds.getRepository(ResponsePlanRow).findOneBy({ callType });
    if (!row) throw new NotFound('response plan', callType);
    return planView(planOfRow(row));
  }
}
