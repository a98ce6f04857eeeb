import { Body, Controller, HttpCode, Param, Patch, Req } from '@nestjs/common';
import type { Request } from 'express';
import { uuidParam } from '../common/validation';
import { InvalidInput } from '../common/errors';
import { AccessService } from '../auth/access.service';
import { actorOf, CurrentUser, Principal } from '../auth/principal';
import { ClockOffsetService, DeviceId, deviceOfKey } from '../assignments/clock-offset.service';
import { AssignmentsService } from './assignments.service';
import { AssignmentStatusDto } from './dto/assignment-status.dto';

/** How far ahead of the server clock a device's report time may be, milliseconds. */
const MAX_CLOCK_SKEW_MS = 120_000;
/** A status report older than this is refused (a device clock far off, or a report queued for a day). */
const MAX_REPORT_AGE_MS = 24 * 3600_000;

/** Crews' status reports on their tasks (from the responder's phone, or a dispatcher by radio). */
@Controller()
export class AssignmentsController {
  constructor(
    private readonly access: AccessService,
    private readonly assignments: AssignmentsService,
    private readonly clocks: ClockOffsetService,
  ) {}

  /**
   * `PATCH /api/assignments/:id {status, at?, lat?, lon?, reportId?, cancelReason?}`: acknowledged, en route, on scene,
   * transporting, at hospital, cleared, one step at a time (cleared before on scene is a cancel: `cancelReason` required); a `reportId` seen before answers `repeated: true` and changes nothing. `200 {assignment, applied}`; `applied: false` for a report
   * older than the status in force (recorded only); `409` names the current status when not allowed; `403` naming
   * the units when the device is another unit's phone.
   */
  @Patch('assignments/:id')
  @HttpCode(200)
  async status(@Param('id', uuidParam('an assignment id')) id: string, @Body() dto: AssignmentStatusDto, @CurrentUser() user: Principal, @DeviceId() device: string, @Req() req: Request) {
    const task = await this.access.assertAssignment(user, id);
    await this.access.assertDeviceFor(deviceOfKey(device), task.unitId, req);
    if ((dto.lat === undefined) !== (dto.lon === undefined)) throw new InvalidInput('lat and lon must be sent together');
    // The report's own time, on the server clock (corrected by the device's estimated clock offset).
    // A clock just set right (its raw stamp plausible, only the learned offset puts it ahead) is taken as stamped.
    const at = dto.at ? await this.clocks.correctedTime(device, new Date(dto.at), { futureToleranceMs: MAX_CLOCK_SKEW_MS }) : new Date();
    if (at.getTime() > Date.now() + MAX_CLOCK_SKEW_MS) throw new InvalidInput(`at (${dto.at}) is in the future: check the device clock`);
    if (at.getTime() < Date.now() - MAX_REPORT_AGE_MS) throw new InvalidInput(`at (${dto.at}) is more than 24 hours old: check the device clock`);
    const position = dto.lat !== undefined && dto.lon !== undefined ? { lat: dto.lat, lon: dto.lon } : undefined;
    return this.assignments.changeStatus(id, dto.status, at, actorOf(user), position, dto.reportId, { cancelReason: dto.cancelReason });
  }
}
