import { Controller, Get, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { AuditService } from './audit.service';
import { Allow } from './principal';

/** `GET /api/audit` filters. */
export class AuditQueryDto {
  @IsOptional() @IsString() @Length(1, 120) actor?: string;
  @IsOptional() @Matches(/^[a-z0-9.*-]{1,60}$/, { message: 'action must be an action name like user.update, or a prefix like user.*' }) action?: string;
  @IsOptional() @IsString() @Length(1, 200) subject?: string;
  @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be an ISO 8601 instant' }) from?: Date;
  @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be an ISO 8601 instant' }) to?: Date;
  @IsOptional() @Matches(/^\d{1,18}$/, { message: 'beforeId must be an audit entry id' }) beforeId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** The audit trail, searchable by the city commander only. */
@Controller('audit')
@Allow('city_commander')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * `GET /api/audit?actor=&action=&subject=&from=&to=&beforeId=&limit=`: newest first (`action` may end in
   * `*` for a prefix); page back with `beforeId` = the last id seen.
   */
  @Get()
  search(@Query() q: AuditQueryDto) {
    return this.audit.search(q);
  }
}
