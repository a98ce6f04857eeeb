import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { LateAckAlertsService } from './late-ack-alerts.service';

const assignmentId = uuidParam('an assignment id');

/** The dispatcher's answers to a crew that acknowledged late a task the timer took back (see `LateAckAlertsService`). */
@Controller()
export class LateAckAlertsController {
  constructor(
    private readonly alerts: LateAckAlertsService,
    private readonly access: AccessService,
  ) {}

  /** `GET /api/late-ack-alerts`: open late-acknowledgement alerts in the caller's jurisdiction, oldest report first. */
  @Get('late-ack-alerts')
  @Allow(...DISPATCHERS, 'observer')
  async list(@CurrentUser() user: Principal) {
    return (await this.alerts.open()).filter((a) => this.access.coversStreet(user, a.streetId)).map(({ streetId: _s, ...a }) => a);
  }

  /** `POST /api/assignments/:id/give-back`: the late-acknowledging crew keeps its task; replacements not yet left are recalled. `200 LateAckDecidedPayload`. */
  @Post('assignments/:id/give-back')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async giveBack(@Param('id', assignmentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.alerts.giveBack(id, actorOf(user));
  }

  /** `POST /api/assignments/:id/stand-down`: keep the replacement; the late-acknowledging crew stands down and is available. `200 LateAckDecidedPayload`. */
  @Post('assignments/:id/stand-down')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async standDown(@Param('id', assignmentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.alerts.standDown(id, actorOf(user));
  }
}
