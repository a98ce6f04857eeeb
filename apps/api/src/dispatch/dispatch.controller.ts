import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { uuidParam } from '../common/validation';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { AcceptRecommendationDto, AssignUnitDto, OverrideRecommendationDto, ResourceRequestDto, StrikeAlarmDto } from '../incidents/dto/incident-actions.dto';
import { RecommendationsService } from './recommendations.service';
import { RecommendationDecisionsService } from './recommendation-decisions.service';
import { AssignByHandService } from './assign-by-hand.service';
import { ResourceRequestsService } from './resource-requests.service';

const uuid = uuidParam('an incident id');

/** Units sent to an incident by a dispatcher: by hand, asked of the tier above, a further alarm, and the allocator's recommendations. */
@Controller()
export class DispatchController {
  constructor(
    private readonly access: AccessService,
    private readonly byHand: AssignByHandService,
    private readonly requests: ResourceRequestsService,
    private readonly recommendations: RecommendationsService,
    private readonly decisions: RecommendationDecisionsService,
  ) {}

  /**
   * `POST /api/incidents/:id/assignments {unitId, capability?}`: assign a unit by hand. `201` with
   * the assignment; `409` naming the unit's status and incident when it is not available.
   */
  @Post('incidents/:id/assignments')
  @Allow(...DISPATCHERS)
  async assign(@Param('id', uuid) id: string, @Body() dto: AssignUnitDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.byHand.assignByHand(id, dto.unitId, actorOf(user), dto.capability, (homeStreetId) => this.access.assertUnit(user, dto.unitId, homeStreetId));
  }

  /**
   * `POST /api/incidents/:id/resource-requests {capabilities, reason}`: the commanding tier asks the
   * tier above for extra units and keeps command. `201 {fromTier, jurisdictionId, sent, unfilled}`.
   */
  @Post('incidents/:id/resource-requests')
  @Allow(...DISPATCHERS)
  async requestResources(@Param('id', uuid) id: string, @Body() dto: ResourceRequestDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.requests.requestResources(id, dto.capabilities, dto.reason, actorOf(user));
  }

  /**
   * `POST /api/incidents/:id/alarms {level}`: strike a further alarm: the units that level of the
   * response plan adds are sent, and command moves to the tier the plan names for it.
   */
  @Post('incidents/:id/alarms')
  @Allow(...DISPATCHERS)
  async strikeAlarm(@Param('id', uuid) id: string, @Body() dto: StrikeAlarmDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.requests.strikeAlarm(id, dto.level, actorOf(user));
  }

  /**
   * `GET /api/incidents/:id/recommendations`: the optimising allocator's units for the incident's
   * unfilled plan slots (solved across all open incidents, higher priority first, within the
   * commanding tier), each with ETA, tier, reason and runner-up; plus dispatched units worth
   * re-assigning to it (offered, never applied).
   */
  @Get('incidents/:id/recommendations')
  async recommend(@Param('id', uuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.recommendations.forIncident(id);
  }

  /** `POST /api/incidents/:id/recommendations/accept {unitIds?}`: send the recommended units (all, or those listed). */
  @Post('incidents/:id/recommendations/accept')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async acceptRecommendation(@Param('id', uuid) id: string, @Body() dto: AcceptRecommendationDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.decisions.accept(id, actorOf(user), dto.unitIds, (home) => this.access.assertUnit(user, '', home));
  }

  /** `POST /api/incidents/:id/recommendations/override {unitId, reason, capability?}`: send another unit than recommended, saying why. */
  @Post('incidents/:id/recommendations/override')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async overrideRecommendation(@Param('id', uuid) id: string, @Body() dto: OverrideRecommendationDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.decisions.override(id, dto.unitId, dto.reason, actorOf(user), dto.capability, (home) => this.access.assertUnit(user, dto.unitId, home));
  }
}
