import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/principal';
import { ClockService } from '../drill/clock.service';
import { EventsService } from './events.service';

/** `GET /api/state`: the last committed event sequence and the drill clock, for console snapshots. */
@Controller()
export class StateController {
  constructor(
    private readonly events: EventsService,
    private readonly clock: ClockService,
  ) {}

  @Get('state')
  async state() {
    return { lastSeq: await this.events.lastSeq(), clock: this.clock.state() };
  }

  /** `GET /api/health`: liveness and readiness (answers only once Postgres answers). */
  @Public()
  @Get('health')
  async health() {
    await this.events.lastSeq();
    return { status: 'ok' };
  }
}
