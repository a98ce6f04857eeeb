import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { LIVE_WORLD } from '@cad/domain';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Station, Unit } from '@cad/db';
import { UNIT_ID, WORLD_ID } from '../common/validation';
import { UnitPositionDto, UnitStatusDto } from './dto/unit.dto';
import { UnitsService, unitView } from './units.service';
import { AccessService } from '../auth/access.service';
import { actorOf, CurrentUser, Principal } from '../auth/principal';


/** Units with live status and position, their tasks, and stations. */
@Controller()
export class UnitsController {
  constructor(
    private readonly ds: DataSource,
    private readonly units: UnitsService,
    private readonly access: AccessService,
  ) {}

  private async unitFor(user: Principal, id: string): Promise<string> {
    const unitId = checkUnitId(id);
    const u = await this.ds.getRepository(Unit).findOneBy({ world: LIVE_WORLD, id: unitId });
    await this.access.assertUnit(user, unitId, u?.homeStreetId ?? null);
    return unitId;
  }

  /**
   * `GET /api/units?world=`: every unit of one world (`live` by default, or a drill run id: that
   * drill's simulated fleet), WGS84 position, status. `400` naming `world` for anything else.
   */
  @Get('units')
  async list(@Query('world') world?: string) {
    if (world !== undefined && (typeof world !== 'string' || !WORLD_ID.test(world))) throw new BadRequestException('world must be live or a drill run id');
    const rows = await this.ds.getRepository(Unit).find({ where: { world: world ?? LIVE_WORLD }, order: { id: 'ASC' } });
    return rows.map(unitView);
  }

  /** `PATCH /api/units/:id {status}`: out of service / back in service. `409` names the current status. */
  @Patch('units/:id')
  async setStatus(@Param('id') id: string, @Body() dto: UnitStatusDto, @CurrentUser() user: Principal) {
    return this.units.setStatus(await this.unitFor(user, id), dto.status, actorOf(user), user.role === 'responder');
  }

  /** `POST /api/units/:id/position {lat, lon, at?}`: AVL fix from the unit's phone. */
  @Post('units/:id/position')
  @HttpCode(200)
  async position(@Param('id') id: string, @Body() dto: UnitPositionDto, @CurrentUser() user: Principal) {
    const at = dto.at ? new Date(dto.at) : new Date();
    if (at.getTime() > Date.now() + 120_000) throw new BadRequestException(`at (${dto.at}) is in the future: check the device clock`);
    return this.units.report(await this.unitFor(user, id), { ...dto, at });
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
