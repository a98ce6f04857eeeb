import { SERVER_FEATURES } from '@cad/domain';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { AppConfig } from '../config/config';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { QueuesService } from '../queues/queues.service';
import { Public } from '../auth/principal';
import { ClockService } from '../drill/clock.service';
import { EventsService } from './events.service';
import { IntakeStallService } from './intake-stall.service';

/** `GET /api/state`: the last committed event sequence and the drill clock, for console snapshots. */
@Controller()
export class StateController {
  constructor(
    private readonly events: EventsService,
    private readonly clock: ClockService,
    private readonly ds: DataSource,
    private readonly queues: QueuesService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly stall: IntakeStallService,
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

  /** `GET /api/health/live`: the process is up (liveness; no dependency checked). */
  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /**
   * `GET /api/health` and `/api/health/ready`: readiness. `200 {status:'ok', postgres:'up', redis:'up', stalls: []}`;
   * `200 {status:'degraded', ..., stalls: [{stage, oldestSeconds, waiting}]}` when a stage of intake
   * has stalled (see {@link IntakeStallService}: still 200, so calls keep coming in); or `503` naming
   * the dependency that is down.
   */
  @Public()
  @Get(['health', 'health/ready'])
  async ready(@Res({ passthrough: true }) res: Response) {
    const check = (p: Promise<unknown>) => p.then(() => 'up' as const, () => 'down' as const);
    const [postgres, redis] = await Promise.all([check(this.ds.query('SELECT 1')), check(this.queues.ping())]);
    const ok = postgres === 'up' && redis === 'up';
    const stalls = postgres === 'up' ? await this.stall.stalls().catch(() => []) : [];
    if (!ok) res.status(503);
    return { status: !ok ? 'unavailable' : stalls.length ? 'degraded' : 'ok', postgres, redis, stalls };
  }
}
