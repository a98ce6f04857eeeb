import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { AckAlertsService } from './ack-alerts.service';

const assignmentId = uuidParam('an assignment id');

/** The dispatcher's answers to a task not acknowledged in time (see `AckAlertsService`). */
@Controller()
export class AckAlertsController {
  constructor(
    private readonly alerts: AckAlertsService,
    private readonly access: AccessService,
  ) {}

  /** `GET /api/ack-alerts`: open acknowledgement alerts in the caller's jurisdiction, oldest first. */
  @Get('ack-alerts')
  @Allow(...DISPATCHERS, 'observer')
  async list(@CurrentUser() user: Principal) {
    return (await this.alerts.open()).filter((a) => this.access.coversStreet(user, a.streetId)).map(({ streetId: _s, ...a }) => a);
  }

  /** `POST /api/assignments/:id/repage`: page the unit again; its acknowledgement timer starts over. `200 {assignmentId, unitId, dueAt}`. */
  @Post('assignments/:id/repage')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async repage(@Param('id', assignmentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.alerts.repage(id, actorOf(user));
  }

  /** `POST /api/assignments/:id/replace`: replace the silent unit now (out of service, escalate one tier, another unit). */
  @Post('assignments/:id/replace')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async replace(@Param('id', assignmentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.alerts.replace(id, actorOf(user));
  }

  /** `POST /api/assignments/:id/out-of-service`: take the silent unit out of service; another unit from the same tier. */
  @Post('assignments/:id/out-of-service')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async outOfService(@Param('id', assignmentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.alerts.takeOutOfService(id, actorOf(user));
  }
}
