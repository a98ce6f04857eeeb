import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { LIVE_WORLD } from '@cad/domain';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Station, Unit } from '@cad/db';
import { UNIT_ID, WORLD_ID } from '../common/validation';
import { UnitPositionDto, UnitStatusDto } from './dto/unit.dto';
import { UnitsService, unitView } from './units.service';
import { AccessService } from '../auth/access.service';
import { actorOf, CurrentUser, Principal } from '../auth/principal';
import { AvlService } from '../assignments/avl.service';
import { ClockOffsetService, DeviceId, deviceOfKey } from '../assignments/clock-offset.service';


/** Units with live status and position, their tasks, and stations. */
@Controller()
export class UnitsController {
  constructor(
    private readonly ds: DataSource,
    private readonly units: UnitsService,
    private readonly access: AccessService,
    private readonly avl: AvlService,
    private readonly clocks: ClockOffsetService,
  ) {}

  private async unitFor(user: Principal, id: string): Promise<string> {
    const unitId = checkUnitId(id);
    const u = await this.ds.getRepository(Unit).findOneBy({ world: LIVE_WORLD, id: unitId });
    await this.access.assertUnit(user, unitId, u?.homeStreetId ?? null);
    return unitId;
  }

  /**
   * `GET /api/units?world=`: every unit of one world (`live` by default, or a drill run id: that
   * drill's simulated fleet), WGS84 position, status, and its AVL fix time and age (`fixAt`, `fixAgeS`,
   * `staleFix`; null without a fix, and always null in a drill's world). `400` naming `world` for anything else.
   */
  @Get('units')
  async list(@Query('world') world?: string) {
    if (world !== undefined && (typeof world !== 'string' || !WORLD_ID.test(world))) throw new BadRequestException('world must be live or a drill run id');
    const rows = await this.ds.getRepository(Unit).find({ where: { world: world ?? LIVE_WORLD }, order: { id: 'ASC' } });
    const fixes = (world ?? LIVE_WORLD) === LIVE_WORLD ? await this.avl.fixAges() : new Map();
    return rows.map((u) => ({ ...unitView(u), fixAt: null, fixAgeS: null, staleFix: null, ...fixes.get(u.id) }));
  }

  /** `PATCH /api/units/:id {status}`: out of service / back in service. `409` names the current status. */
  @Patch('units/:id')
  async setStatus(@Param('id') id: string, @Body() dto: UnitStatusDto, @CurrentUser() user: Principal) {
    return this.units.setStatus(await this.unitFor(user, id), dto.status, actorOf(user), user.role === 'responder');
  }

  /**
   * `POST /api/units/:id/position {lat, lon, at?, accuracyM?, seq?}`: AVL fix from the unit's phone.
   * `at` is corrected by the device's clock offset; the answer says what became of the fix
   * (`verdict`: accepted, late, implausible, reestablished; `used`). `403` naming the unit when the
   * caller may not act for it, or when the device is another unit's phone (`X-Device-Id: e02` for unit 50).
   */
  @Post('units/:id/position')
  @HttpCode(200)
  async position(@Param('id') id: string, @Body() dto: UnitPositionDto, @CurrentUser() user: Principal, @DeviceId() device: string, @Req() req: Request) {
    const received = new Date();
    const unitId = await this.unitFor(user, id);
    await this.access.assertDeviceFor(deviceOfKey(device), unitId, req);
    const { at, ...fix } = dto;
    return this.avl.record(unitId, device, { ...fix, deviceAt: at ? new Date(at) : await this.clocks.deviceTime(device, received) }, received);
  }

  /** `GET /api/units/:id/fixes?limit=`: the unit's AVL history, newest first, with device, corrected and receive times and verdicts. */
  @Get('units/:id/fixes')
  async fixes(@Param('id') id: string, @CurrentUser() user: Principal, @Query('limit') limit?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new BadRequestException('limit must be an integer from 1 to 1000');
    return this.avl.history(await this.unitFor(user, id), n);
  }

  /** `GET /api/units/:id/assignment`: the unit's current task with its incident, or `204` when it has none. */
  @Get('units/:id/assignment')
  async task(@Param('id') id: string, @Res({ passthrough: true }) res: Response, @CurrentUser() user: Principal) {
    const t = await this.units.currentTask(await this.unitFor(user, id));
    if (!t) res.status(204);
    return t ?? undefined;
  }

  /** `GET /api/stations`: stations, flagged when their location is estimated. */
  @Get('stations')
  stations() {
    return this.ds.getRepository(Station).find({ order: { number: 'ASC' } });
  }
}

function checkUnitId(id: string): string {
  if (!UNIT_ID.test(id)) throw new BadRequestException('id must be a unit id such as E38');
  // Unit ids are upper case (E38); responder accounts are the same id in lower case (e38).
  return id.toUpperCase();
}
