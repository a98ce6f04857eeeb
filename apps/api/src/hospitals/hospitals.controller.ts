import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, CurrentUser, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { ChooseHospitalDto, HospitalsQuery } from './dto/hospital.dto';
import { HospitalsService } from './hospitals.service';

/** Hospitals of the city profile and the choice of one on transport (see `HospitalsService`). */
@Controller()
export class HospitalsController {
  constructor(
    private readonly hospitals: HospitalsService,
    private readonly access: AccessService,
  ) {}

  /** `GET /api/hospitals?incidentId=`: `{hospitals, note}`; nearest to the incident first when one is given. */
  @Get('hospitals')
  async list(@Query() q: HospitalsQuery, @CurrentUser() user: Principal) {
    if (q.incidentId) await this.access.assertIncident(user, q.incidentId);
    return this.hospitals.list(q.incidentId);
  }

  /** `GET /api/incidents/:id/hospitals`: the hospital chosen for each of its tasks (latest choice). */
  @Get('incidents/:id/hospitals')
  async chosen(@Param('id', uuidParam('an incident id')) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.hospitals.chosen(id);
  }

  /** `POST /api/assignments/:id/hospital {hospital}`: the hospital the unit transports to (its crew or a dispatcher in scope). `200` with the choice. */
  @Post('assignments/:id/hospital')
  @HttpCode(200)
  async choose(@Param('id', uuidParam('an assignment id')) id: string, @Body() dto: ChooseHospitalDto, @CurrentUser() user: Principal) {
    await this.access.assertAssignment(user, id);
    return this.hospitals.choose(id, dto.hospital, actorOf(user));
  }
}
