import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Allow, DISPATCHERS } from '../auth/principal';
import { NotFound } from '../common/errors';
import { LifelinesService } from './lifelines.service';

/**
 * `GET /api/lifelines`: the channel's state (broker connected, counts of readings received, accepted,
 * repeated and refused by field, and readings stored), the suspected leaks and the silent sensors; `POST /api/lifelines/:network/dismiss` closes
 * a network's suspected leak and restarts its charts (a worse reading opens a new one at once);
 * `GET /api/lifelines/networks`: what the console's lifelines layer draws.
 */
@Controller('lifelines')
export class LifelinesController {
  constructor(private readonly lifelines: LifelinesService) {}

  @Get()
  state() {
    return {
      connected: this.lifelines.connected,
      counts: this.lifelines.counts,
      alarms: [...this.lifelines.alarms.values()],
      silent: [...this.lifelines.silent.values()],
      stored: this.lifelines.storedCounts,
    };
  }

  /** The networks (pipes in WGS84, `standIn` to be said wherever drawn) and each sensor's state: ok, alarm or silent. */
  @Get('networks')
  networks() {
    return this.lifelines.views();
  }

  /** @throws NotFound (404) when the network has no suspected leak open */
  @Post(':network/dismiss')
  @HttpCode(200)
  @Allow(...DISPATCHERS)
  dismiss(@Param('network') network: string) {
    if (!this.lifelines.dismiss(network)) throw new NotFound('open suspected leak on network', network.slice(0, 64));
    return { dismissed: network };
  }
}
