import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Unit } from '@cad/db';
import { LIVE_WORLD } from '@cad/domain';
import { DataSource } from 'typeorm';
import { uuidParam, UNIT_ID } from '../common/validation';
import { InvalidInput } from '../common/errors';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { LocationChangeDto } from './dto/location-change.dto';
import { LocationAlertsService } from './location-alerts.service';
import { LocationChangeService } from './location-change.service';

/** Changing an incident's location after dispatch, and the crews' LOCATION CHANGED alerts. */
@Controller()
export class LocationController {
  constructor(
    private readonly ds: DataSource,
    private readonly locations: LocationChangeService,
    private readonly locationAlerts: LocationAlertsService,
    private readonly access: AccessService,
  ) {}

  /**
   * `POST /api/incidents/:id/location {lat, lon, address?, reason}`: the incident is elsewhere. It is
   * placed again in the command chain, active tasks are re-routed and every crew gets a LOCATION
   * CHANGED alert. `200 {incident, alerts}`; `409` when closed; `422` far outside every street.
   */
  @Post('incidents/:id/location')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async move(@Param('id', uuidParam('an incident id')) id: string, @Body() dto: LocationChangeDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.locations.move(id, dto, actorOf(user));
  }

  /** `POST /api/incidents/:id/location/confirm`: the typed address is right; clears `locationUnconfirmed`. */
  @Post('incidents/:id/location/confirm')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async confirm(@Param('id', uuidParam('an incident id')) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.locations.confirm(id, actorOf(user));
  }

  /** `GET /api/units/:id/location-alerts`: the unit's LOCATION CHANGED alerts not yet acknowledged. */
  @Get('units/:id/location-alerts')
  async alerts(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.locationAlerts.openAlerts(await this.unitFor(user, id));
  }

  /** `POST /api/location-alerts/:id/acknowledge`: the crew read the new location. */
  @Post('location-alerts/:id/acknowledge')
  @HttpCode(200)
  async acknowledge(@Param('id', uuidParam('a location alert id')) id: string, @CurrentUser() user: Principal) {
    await this.unitFor(user, await this.locationAlerts.unitOf(id));
    return this.locationAlerts.acknowledge(id, actorOf(user));
  }

  private async unitFor(user: Principal, id: string): Promise<string> {
    if (!UNIT_ID.test(id)) throw new InvalidInput('id must be a unit id such as E38');
    const unitId = id.toUpperCase();
    const u = await this.ds.getRepository(Unit).findOneBy({ world: LIVE_WORLD, id: unitId });
    await this.access.assertUnit(user, unitId, u?.homeStreetId ?? null);
    return unitId;
  }
}
