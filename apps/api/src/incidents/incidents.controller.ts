import { uuidParam } from '../common/validation';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { AssignmentsService } from './assignments.service';
import { CommandChainService } from './command-chain.service';
import { DispatchService } from './dispatch.service';
import { AssignmentStatusDto } from './dto/assignment-status.dto';
import { AcceptRecommendationDto, AssignUnitDto, CloseDto, EscalateDto, ListIncidentsQuery, MergeDto, OverrideRecommendationDto, ResourceRequestDto, StrikeAlarmDto } from './dto/incident-actions.dto';
import { IncidentsService } from './incidents.service';
import { InvalidInput } from '../common/errors';
import { RecommendationsService } from './recommendations.service';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { JurisdictionIndex, worldOf } from '@cad/domain';
import { ClockOffsetService, DeviceId, deviceOfKey } from '../units/clock-offset.service';
import { CloseDispositionPipe } from '../call-record/close-disposition.pipe';

const uuid = uuidParam('an incident id');

/** How far ahead of the server clock a device's report time may be, milliseconds. */
const MAX_CLOCK_SKEW_MS = 120_000;
/** A status report older than this is refused (a device clock far off, or a report queued for a day). */
const MAX_REPORT_AGE_MS = 24 * 3600_000;

/** Incidents, their lifecycle and command chain, and assignments (tasks). */
@Controller()
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly assignments: AssignmentsService,
    private readonly dispatch: DispatchService,
    private readonly chain: CommandChainService,
    private readonly events: EventsService,
    private readonly queues: QueuesService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
    private readonly recommendations: RecommendationsService,
    private readonly clocks: ClockOffsetService,
  ) {}

  /**
   * `GET /api/incidents?open=true&exercise=false&drillId=&q=&limit=&offset=`: one page
   * `{items, total, limit, offset}` of incidents with street, district, commanding tier, calls and
   * assigned units (ETA in seconds), most urgent first (ties by id, so pages never repeat or skip);
   * `limit` 1..1000 (default 500), `offset` from 0.
   */
  @Get('incidents')
  list(@Query() q: ListIncidentsQuery, @CurrentUser() user: Principal) {
    const level = user.jurisdictionId ? this.index.get(user.jurisdictionId)?.level : undefined;
    return this.incidents.list(
      {
        open: q.open === 'true' || q.open === '1',
        exercise: q.exercise === undefined ? undefined : q.exercise === 'true',
        drillId: q.drillId,
        q: q.q,
        // The viewer's scope: a responder sees their unit's tasks; a street or district post its subtree.
        unitId: user.role === 'responder' ? (user.unitId ?? '-') : undefined,
        streetId: level === 'street' ? user.jurisdictionId! : undefined,
        districtId: level === 'district' ? user.jurisdictionId! : undefined,
      },
      { limit: q.limit ? Number(q.limit) : 500, offset: q.offset ? Number(q.offset) : 0 },
    );
  }

  /** `GET /api/incidents/:id`; `403` outside the viewer's jurisdiction. */
  @Get('incidents/:id')
  async one(@Param('id', uuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.incidents.view(id);
  }

  /** `GET /api/incidents/:id/events`: the incident's timeline, in sequence order. */
  @Get('incidents/:id/events')
  async timeline(@Param('id', uuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.events.ofIncident(id);
  }

  /** `POST /api/incidents/:id/escalate {reason}`: move command one tier up by hand; the new tier dispatches. */
  @Post('incidents/:id/escalate')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async escalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    const revision = await this.chain.moveByHand(id, 'up', dto.reason, actorOf(user));
    const view = await this.incidents.view(id);
    await this.queues.addDispatch({ incidentId: id, revision, priority: view.priority });
    return view;
  }

  /** `POST /api/incidents/:id/deescalate {reason}`: hand command back one tier down (`403` below the commanding tier). */
  @Post('incidents/:id/deescalate')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async deescalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto, @CurrentUser() user: Principal) {
    await this.access.assertMayDeescalate(user, id);
    await this.chain.moveByHand(id, 'down', dto.reason, actorOf(user));
    return this.incidents.view(id);
  }

  /**
   * `POST /api/incidents/:id/close {dispositionCode, disposition?}`: every unit must have cleared (`409`
   * otherwise); `400` naming `dispositionCode` when it is missing or not one of `DISPOSITION_CODES`.
   */
  @Post('incidents/:id/close')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async close(@Param('id', uuid) id: string, @Body(CloseDispositionPipe) dto: CloseDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    await this.incidents.changeStatus(id, 'closed', dto.disposition ?? null, actorOf(user));
    return this.incidents.view(id);
  }

  /** `POST /api/incidents/:id/cancel {disposition?}`: not needed; its units are freed. */
  @Post('incidents/:id/cancel')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async cancel(@Param('id', uuid) id: string, @Body() dto: CloseDto, @CurrentUser() user: Principal) {
    const incident = await this.access.assertIncident(user, id);
    await this.incidents.changeStatus(id, 'cancelled', dto.disposition ?? null, actorOf(user));
    // Units freed by the cancel go to incidents of the same world still waiting for one.
    await this.assignments.redispatchWaiting(worldOf(incident));
    return this.incidents.view(id);
  }

  /**
   * `POST /api/incidents/:id/merge {into, reason}`: this incident is the same emergency as `into`;
   * its calls and units go there and it ends `merged`. Answers the surviving incident. The caller
   * must be allowed to act on both.
   */
  @Post('incidents/:id/merge')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async merge(@Param('id', uuid) id: string, @Body() dto: MergeDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    await this.access.assertIncident(user, dto.into);
    return this.incidents.view(await this.incidents.merge(id, dto.into, dto.reason, actorOf(user)));
  }

  /**
   * `POST /api/incidents/:id/reopen`: a resolved, closed or cancelled incident is received again, held
   * for a dispatcher: nothing is dispatched until `POST /api/incidents/:id/confirm-dispatch` (or a unit
   * assigned by hand, or a recommendation accepted).
   */
  @Post('incidents/:id/reopen')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async reopen(@Param('id', uuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    await this.incidents.changeStatus(id, 'received', null, actorOf(user));
    return this.incidents.view(id);
  }

  /**
   * `POST /api/incidents/:id/assignments {unitId, capability?}`: assign a unit by hand. `201` with
   * the assignment; `409` naming the unit's status and incident when it is not available.
   */
  @Post('incidents/:id/assignments')
  @Allow(...DISPATCHERS)
  async assign(@Param('id', uuid) id: string, @Body() dto: AssignUnitDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.dispatch.assignByHand(id, dto.unitId, actorOf(user), dto.capability, (homeStreetId) => this.access.assertUnit(user, dto.unitId, homeStreetId));
  }

  /**
   * `POST /api/incidents/:id/resource-requests {capabilities, reason}`: the commanding tier asks the
   * tier above for extra units and keeps command. `201 {fromTier, jurisdictionId, sent, unfilled}`.
   */
  @Post('incidents/:id/resource-requests')
  @Allow(...DISPATCHERS)
  async requestResources(@Param('id', uuid) id: string, @Body() dto: ResourceRequestDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.dispatch.requestResources(id, dto.capabilities, dto.reason, actorOf(user));
  }

  /**
   * `POST /api/incidents/:id/alarms {level}`: strike a further alarm: the units that level of the
   * response plan adds are sent, and command moves to the tier the plan names for it.
   */
  @Post('incidents/:id/alarms')
  @Allow(...DISPATCHERS)
  async strikeAlarm(@Param('id', uuid) id: string, @Body() dto: StrikeAlarmDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.dispatch.strikeAlarm(id, dto.level, actorOf(user));
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
    return this.recommendations.accept(id, actorOf(user), dto.unitIds, (home) => this.access.assertUnit(user, '', home));
  }

  /** `POST /api/incidents/:id/recommendations/override {unitId, reason, capability?}`: send another unit than recommended, saying why. */
  @Post('incidents/:id/recommendations/override')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async overrideRecommendation(@Param('id', uuid) id: string, @Body() dto: OverrideRecommendationDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.recommendations.override(id, dto.unitId, dto.reason, actorOf(user), dto.capability, (home) => this.access.assertUnit(user, dto.unitId, home));
  }

  /**
   * `PATCH /api/assignments/:id {status, at?, lat?, lon?, reportId?, cancelReason?}`: acknowledged, en route, on scene,
   * transporting, at hospital, cleared, one step at a time (cleared before on scene is a cancel: `cancelReason` required); a `reportId` seen before answers `repeated: true` and changes nothing. `200 {assignment, applied}`; `applied: false` for a report
   * older than the status in force (recorded only); `409` names the current status when not allowed; `403` naming
   * the units when the device is another unit's phone.
   */
  @Patch('assignments/:id')
  @HttpCode(200)
  async status(@Param('id', uuidParam('an assignment id')) id: string, @Body() dto: AssignmentStatusDto, @CurrentUser() user: Principal, @DeviceId() device: string) {
    const task = await this.access.assertAssignment(user, id);
    await this.access.assertDeviceFor(deviceOfKey(device), task.unitId);
    if ((dto.lat === undefined) !== (dto.lon === undefined)) throw new InvalidInput('lat and lon must be sent together');
    // The report's own time, on the server clock (corrected by the device's estimated clock offset).
    const at = dto.at ? await this.clocks.correctedTime(device, new Date(dto.at)) : new Date();
    if (at.getTime() > Date.now() + MAX_CLOCK_SKEW_MS) throw new InvalidInput(`at (${dto.at}) is in the future: check the device clock`);
    if (at.getTime() < Date.now() - MAX_REPORT_AGE_MS) throw new InvalidInput(`at (${dto.at}) is more than 24 hours old: check the device clock`);
    const position = dto.lat !== undefined && dto.lon !== undefined ? { lat: dto.lat, lon: dto.lon } : undefined;
    return this.assignments.changeStatus(id, dto.status, at, actorOf(user), position, dto.reportId, { cancelReason: dto.cancelReason });
  }
}
