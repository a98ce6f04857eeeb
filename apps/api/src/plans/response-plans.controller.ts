import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { CAPABILITIES, TIERS, Tier } from '@cad/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested, registerDecorator } from 'class-validator';
import { AuditService, ClientAddress } from '../auth/audit.service';
import { Allow, CurrentUser, Principal } from '../auth/principal';
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

/** Response plans (run cards): read by everyone signed in, edited by the city commander. */
@Controller('response-plans')
export class ResponsePlansController {
  constructor(
    private readonly plans: ResponsePlansService,
    private readonly audit: AuditService,
  ) {}

  /** `GET /api/response-plans`: every stored plan with its alarm levels. */
  @Get()
  async list() {
    return [...(await this.plans.all()).values()].map(planView);
  }

  /** `GET /api/response-plans/:callType` (`404` when none is stored). */
  @Get(':callType')
  one(@Param('callType') callType: string) {
    return this.plans.stored(callType);
  }

  /** `PUT /api/response-plans/:callType {slots, commandingTier, alarms?}`: create or replace a plan (on the audit trail, before and after). */
  @Put(':callType')
  @Allow('city_commander')
  async put(@Param('callType') callType: string, @Body() dto: PutResponsePlanDto, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    const type = callType.normalize('NFC').trim().slice(0, 120);
    const before = await this.plans.stored(type).catch(() => null);
    const after = await this.plans.put(type, dto);
    await this.audit.record({ actor, action: before ? 'plan.update' : 'plan.create', subject: `plan:${type}`, source, before, after });
    return after;
  }
}
