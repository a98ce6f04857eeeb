import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { AuditService, ClientAddress } from '../auth/audit.service';
import type { Request } from 'express';
import { IsIn, IsOptional } from 'class-validator';
import { Allow, CurrentUser, Principal, Public } from '../auth/principal';
import { InvalidInput, NotFound } from '../common/errors';
import { uuidParam } from '../common/validation';
import { alertView, AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { AlertDraftDto, CancelAlertDto } from './dto/alert-draft.dto';
import { ReceivedAlertsService } from './received-alerts.service';
import { ALERT_TEMPLATES } from './templates';

/** `GET /api/alerts` query. */
export class AlertsQuery {
  @IsOptional() @IsIn(['issued', 'received'], { message: 'direction must be issued or received' }) direction?: 'issued' | 'received';
}

const uuid = uuidParam('an alert id');

/**
 * CAP alerts: the city's own (written, approved, updated, cancelled by city commanders) and those
 * received from other agencies. Reading needs any sign-in; posting a received message needs none but
 * a configured sender.
 */
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly received: ReceivedAlertsService,
    private readonly repo: AlertsRepository,
    private readonly audit: AuditService,
  ) {}

  /** `GET /api/alerts?direction=issued|received`: the newest 200, drafts included. */
  @Get()
  async list(@Query() q: AlertsQuery) {
    return (await this.repo.list(q.direction, 200)).map(alertView);
  }

  /** `GET /api/alerts/templates`: gas leak evacuation, water main break, flood, fire smoke, shelter in place (English and Chinese). */
  @Get('templates')
  templates() {
    return ALERT_TEMPLATES;
  }

  /** `GET /api/alerts/:id` */
  @Get(':id')
  async get(@Param('id', uuid) id: string) {
    return alertView(await this.alerts.get(id));
  }

  /** `GET /api/alerts/:id/cap`: the message as sent or received (CAP XML); `404` for a draft not yet issued. */
  @Get(':id/cap')
  @Header('content-type', 'application/cap+xml; charset=utf-8')
  async cap(@Param('id', uuid) id: string): Promise<string> {
    const row = await this.alerts.get(id);
    if (!row.xml) throw new NotFound('issued message of alert', id);
    return row.xml;
  }

  /** `POST /api/alerts`: a draft, pending approval. `400` naming the field when it would not be valid CAP 1.2. */
  @Post()
  @Allow('city_commander')
  create(@Body() dto: AlertDraftDto, @CurrentUser() user: Principal) {
    return this.alerts.create(dto, user);
  }

  /**
   * `POST /api/alerts/received` with a CAP 1.1 or 1.2 message as the body (`Content-Type:
   * application/cap+xml`): from a configured sender only. `200 {id, duplicate, version, state, callId}`;
   * `400` naming the element when malformed or invalid; `403` naming `sender`.
   */
  @Post('received')
  @Public()
  @HttpCode(200)
  receive(@Req() req: Request) {
    if (typeof req.body !== 'string') throw new InvalidInput('body: send the CAP message as XML (Content-Type: application/cap+xml)');
    return this.received.receive(req.body);
  }

  /** `POST /api/alerts/:id/approve`: issues a pending draft; an Actual one needs a commander other than its author. */
  @Post(':id/approve')
  @Allow('city_commander')
  @HttpCode(200)
  async approve(@Param('id', uuid) id: string, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    const view = await this.alerts.approve(id, user);
    await this.audit.record({ actor: user, action: 'alert.approve', subject: `alert:${id}`, source, after: view });
    return view;
  }

  /** `POST /api/alerts/:id/update`: a draft Update of an issued alert (pending approval). */
  @Post(':id/update')
  @Allow('city_commander')
  update(@Param('id', uuid) id: string, @Body() dto: AlertDraftDto, @CurrentUser() user: Principal) {
    return this.alerts.update(id, dto, user);
  }

  /** `POST /api/alerts/:id/cancel {reason?}`: one action; an issued alert gets a Cancel message at once, a draft is withdrawn. */
  @Post(':id/cancel')
  @Allow('city_commander')
  @HttpCode(200)
  async cancel(@Param('id', uuid) id: string, @Body() dto: CancelAlertDto, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    const view = await this.alerts.cancel(id, user, dto.reason);
    await this.audit.record({ actor: user, action: 'alert.cancel', subject: `alert:${id}`, source, after: view });
    return view;
  }
}
