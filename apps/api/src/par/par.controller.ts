import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { ParService } from './par.service';

const incidentId = uuidParam('an incident id');

/** On-scene welfare (PAR) timers (see `ParService`). */
@Controller()
export class ParController {
  constructor(
    private readonly par: ParService,
    private readonly access: AccessService,
  ) {}

  /** `GET /api/par`: the running PAR timers in the caller's jurisdiction, most overdue first. */
  @Get('par')
  @Allow(...DISPATCHERS, 'observer')
  async running(@CurrentUser() user: Principal) {
    return (await this.par.running()).filter((p) => this.access.coversStreet(user, p.streetId)).map(({ streetId: _s, ...p }) => p);
  }

  /** `GET /api/incidents/:id/par`: the incident's PAR timer. */
  @Get('incidents/:id/par')
  async of(@Param('id', incidentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.par.of(id);
  }

  /** `POST /api/incidents/:id/par`: a PAR was done (every crew on scene accounted for); the timer starts over. `200` with the timer. */
  @Post('incidents/:id/par')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async record(@Param('id', incidentId) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.par.record(id, actorOf(user));
  }
}
