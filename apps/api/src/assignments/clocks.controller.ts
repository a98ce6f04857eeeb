import { Controller, Get } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { CurrentUser, Principal } from '../auth/principal';
import { ClockOffsetService } from './clock-offset.service';

/** Device clocks as the server estimates them, for the console's clock-skew warning. */
@Controller()
export class ClocksController {
  constructor(
    private readonly clocks: ClockOffsetService,
    private readonly access: AccessService,
  ) {}

  /**
   * `GET /api/devices/clocks`: each measured device's offset (seconds, device minus server), most skewed
   * first; `skewed` past `CLOCK_SKEW_WARN_S`; each names the `account` and its `unitId` beside the
   * `deviceId` (a device id is what the phone said). A city post sees every device; a district or street
   * post only the devices of units based in its jurisdiction.
   */
  @Get('devices/clocks')
  list(@CurrentUser() user: Principal) {
    // A console's device (no unit) is shown to city posts only (coversStreet of no street is the city's).
    return this.clocks.list((d) => this.access.coversStreet(user, d.unitId ? d.homeStreetId : null));
  }
}
