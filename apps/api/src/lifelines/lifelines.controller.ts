import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Allow, DISPATCHERS } from '../auth/principal';
import { NotFound } from '../common/errors';
import { LifelinesService } from './lifelines.service';

/**
 * `GET /api/lifelines`: the channel's state (broker connected, counts of readings received, accepted,
 * repeated and refused by field) and the suspected leaks; `POST /api/lifelines/:network/dismiss` closes
 * a network's suspected leak and restarts its charts (a worse reading opens a new one at once).
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
    };
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
