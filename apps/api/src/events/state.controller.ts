import { SERVER_FEATURES } from '@cad/domain';
import { Controller, Get, Inject } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from './events.service';

/** `GET /api/state`: the last committed event sequence and the drill clock, for console snapshots. */
@Controller()
export class StateController {
  constructor(
    private readonly events: EventsService,
    private readonly clock: ClockService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('state')
  async state() {
    // The city's own time zone (IANA, the data set's), so every console shows local time the same way.
    return { lastSeq: await this.events.lastSeq(), clock: this.clock.state(), timeZone: this.config.DATA_TIME_ZONE };
  }

  /** `GET /api/features`: the optional capabilities of this server (every one of `SERVER_FEATURES`). */
  @Get('features')
  features() {
    return { features: [...SERVER_FEATURES] };
  }
}
