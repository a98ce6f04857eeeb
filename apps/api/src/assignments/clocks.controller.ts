import { Controller, Get } from '@nestjs/common';
import { ClockOffsetService } from './clock-offset.service';

/** Device clocks as the server estimates them, for the console's clock-skew warning. */
@Controller()
export class ClocksController {
  constructor(private readonly clocks: ClockOffsetService) {}

  /** `GET /api/devices/clocks`: each measured device's offset (seconds, device minus server), most skewed first; `skewed` past `CLOCK_SKEW_WARN_S`. */
  @Get('devices/clocks')
  list() {
    return this.clocks.list();
  }
}
