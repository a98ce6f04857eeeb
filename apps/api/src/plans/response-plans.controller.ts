import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { CAPABILITIES, Priority, TIERS, Tier } from '@cad/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested, registerDecorator } from 'class-validator';
import { AuditService, ClientAddress } from '../auth/audit.service';
import { Allow, CurrentUser, Principal } from '../auth/principal';
import { InvalidInput } from '../common/errors';
import { planView, ResponsePlansService } from './response-plans.service';

/** Units per capability: keys from the capability list, values whole numbers 0..20. */
function IsSlots() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSlots',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.keys(v).length > 0 &&
          Object.entries(v).every(([k, n]) => (CAPABILITIES as readonly string[]).includes(k) && Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 20),
        defaultMessage: () => `${propertyName} must map capabilities (${CAPABILITIES.join(', ')}) to whole numbers 0..20`,
      },
    });
}

/** One further alarm level of a plan. */
export class AlarmLevelDto {
  @IsInt() @Min(2) @Max(5) level: number;
  @IsObject() @IsSlots() slots: Record<string, number>;
  @IsIn(TIERS) commandingTier: Tier;
}

/** `PUT /api/response-plans/:callType`. */
export class PutResponsePlanDto {
  @IsObject() @IsSlots() slots: Record<string, number>;
  @IsIn(TIERS) commandingTier: Tier;
  @IsOptional() @IsArray() @ArrayMaxSize(4) @ValidateNested({ each: true }) @Type(() => AlarmLevelDto) alarms?: AlarmLevelDto[];
}

/** `?priority=1|2|3`: a call type's variant for that priority (issue 20); absent: the type's own plan. */
export class PlanPriorityQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3) priority?: Priority;
}

/**
 * Response plans (run cards): read by everyone signed in, edited by the city commander. Each call type
 * has its own plan and may have a variant per priority (issue 20), which incidents of that priority get
 * instead; `?priority=` on one plan's routes names the variant.
 */
@Controller('response-plans')
export class ResponsePlansController {
  constructor(
    private readonly plans: ResponsePlansService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `GET /api/response-plans`: every stored type plan with its alarm levels, `priority: null`, and its
   * priority `variants` (same shape, `priority` 1..3).
   */
  @Get()
  async list() {
    return [...(await this.plans.all()).values()].map(planView);
  }

  /** `GET /api/response-plans/:callType[?priority=n]`: the type's plan with its variants, or one variant (`404` when none is stored). */
  @Get(':callType')
  one(@Param('callType') callType: string, @Query() q: PlanPriorityQuery) {
    return this.plans.stored(callType, q.priority);
  }

  /**
   * `PUT /api/response-plans/:callType[?priority=n] {slots, commandingTier, alarms?}`: create or replace a
   * type's plan, or its variant for priority n (`404` when the type has no plan of its own yet); on the
   * audit trail, before and after. Answers the type's plan with its variants.
   */
  @Put(':callType')
  @Allow('city_commander')
  async put(@Param('callType') callType: string, @Query() q: PlanPriorityQuery, @Body() dto: PutResponsePlanDto, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    const type = callType.normalize('NFC').trim().slice(0, 120);
    const before = await this.plans.stored(type, q.priority).catch(() => null);
    const after = await this.plans.put(type, dto, q.priority);
    const subject = q.priority ? `plan:${type}:P${q.priority}` : `plan:${type}`;
    await this.audit.record({ actor, action: before ? 'plan.update' : 'plan.create', subject, source, before, after: q.priority ? await this.plans.stored(type, q.priority) : after });
    return after;
  }

  /**
   * `DELETE /api/response-plans/:callType?priority=n`: removes the type's variant for priority n, so its
   * incidents of that priority get the type's plan (`404` when there is none); on the audit trail.
   * A type's own plan is not deleted here (`400` without `priority`).
   */
  @Delete(':callType')
  @Allow('city_commander')
  async deleteVariant(@Param('callType') callType: string, @Query() q: PlanPriorityQuery, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    if (!q.priority) throw new InvalidInput('priority must be 1, 2 or 3: only a priority variant can be deleted');
    const type = callType.normalize('NFC').trim().slice(0, 120);
    const before = await this.plans.stored(type, q.priority);
    const after = await this.plans.deleteVariant(type, q.priority);
    await this.audit.record({ actor, action: 'plan.delete', subject: `plan:${type}:P${q.priority}`, source, before, after: null });
    return after;
  }
}
