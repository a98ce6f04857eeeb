import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ClientAddress } from '../auth/audit.service';
import { Allow, CurrentUser, DISPATCHERS, Principal, Public } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { AcceptPublicReportDto, CreatePublicReportDto, DismissPublicReportDto, LinkPublicReportDto } from './dto/public-report.dto';
import { PublicReportsService } from './public-reports.service';

/** `POST /api/public/reports`: a resident's report from the public page, no sign-in. */
@Controller('public/reports')
@Public()
export class PublicReportsIntakeController {
  constructor(private readonly reports: PublicReportsService) {}

  /** `202 { id, state: 'pending' }` once stored for a call taker; `400`/`422` naming the field, `429` naming the limit. */
  @Post()
  @HttpCode(202)
  submit(@Body() dto: CreatePublicReportDto, @Req() req: Request) {
    return this.reports.submit(dto, req.ip ?? 'unknown');
  }
}

/** The call takers' queue of residents' reports: list, accept as a call, link to an incident, dismiss. */
@Controller('public-reports')
export class PublicReportsController {
  constructor(private readonly reports: PublicReportsService) {}

  /** `GET /api/public-reports?state=pending`: the queue in the reader's post, oldest first. */
  @Get()
  list(@CurrentUser() p: Principal, @Query('state') state?: string) {
    return this.reports.list(p, state);
  }

  /** `POST /api/public-reports/:id/accept`: it becomes a call for service (intake, then dispatch as any call). */
  @Post(':id/accept')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  accept(@CurrentUser() p: Principal, @Param('id', uuidParam('a public report id')) id: string, @Body() dto: AcceptPublicReportDto, @ClientAddress() source: string | null) {
    return this.reports.accept(p, id, dto, source);
  }

  /** `POST /api/public-reports/:id/link`: kept as a call of an open incident; nothing is dispatched. */
  @Post(':id/link')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  link(@CurrentUser() p: Principal, @Param('id', uuidParam('a public report id')) id: string, @Body() dto: LinkPublicReportDto, @ClientAddress() source: string | null) {
    return this.reports.link(p, id, dto.incidentId, source);
  }

  /** `POST /api/public-reports/:id/dismiss`: not a call for service, with the reason. */
  @Post(':id/dismiss')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  dismiss(@CurrentUser() p: Principal, @Param('id', uuidParam('a public report id')) id: string, @Body() dto: DismissPublicReportDto, @ClientAddress() source: string | null) {
    return this.reports.dismiss(p, id, dto.reason, source);
  }
}
