import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { JurisdictionIndex } from '@cad/domain';
import { Forbidden } from '../common/errors';
import { uuidParam } from '../common/validation';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, Principal } from '../auth/principal';
import { AgencyRequestsService } from './agency-requests.service';
import { AcceptAgencyRequestDto, DeclineAgencyRequestDto, ListAgencyRequestsQuery } from './dto/agency-request.dto';

const uuid = uuidParam('a request id');

/**
 * Requests to other agencies' posts (police, the utilities: `dispatchMode: request` in the city
 * profile). The agency's post answers them; until it has accounts of its own, a city commander (the
 * command centre's city-wide post) answers for it.
 */
@Controller()
export class AgencyRequestsController {
  constructor(
    private readonly requests: AgencyRequestsService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
  ) {}

  /** `GET /api/agency-requests?incidentId=&open=true`: one incident's requests, or (city-wide posts) the live world's; open ones only with `open=true`; newest first. `403` for a narrower post without `incidentId`. */
  @Get('agency-requests')
  async list(@Query() q: ListAgencyRequestsQuery, @CurrentUser() user: Principal) {
    if (q.incidentId) await this.access.assertIncident(user, q.incidentId);
    // The world-wide list is the city-wide posts' (a street or district post asks for its incidents').
    else if (user.role !== 'system' && (!user.jurisdictionId || this.index.get(user.jurisdictionId)?.level !== 'city')) {
      throw new Forbidden('only a city-wide post lists every request; give incidentId');
    }
    return this.requests.list({ incidentId: q.incidentId, open: q.open === 'true' || q.open === '1' });
  }

  /** `POST /api/agency-requests/:id/accept {unitId}`: `201 {request, assignment}`; `409` when already answered or the unit is busy. */
  @Post('agency-requests/:id/accept')
  @Allow('city_commander', 'system')
  accept(@Param('id', uuid) id: string, @Body() dto: AcceptAgencyRequestDto, @CurrentUser() user: Principal) {
    return this.requests.accept(id, dto.unitId, actorOf(user));
  }

  /** `POST /api/agency-requests/:id/decline {reason}`: `200` with the request; `409` when already answered. */
  @Post('agency-requests/:id/decline')
  @HttpCode(200)
  @Allow('city_commander', 'system')
  decline(@Param('id', uuid) id: string, @Body() dto: DeclineAgencyRequestDto, @CurrentUser() user: Principal) {
    return this.requests.decline(id, dto.reason, actorOf(user));
  }
}
