import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { QueuesService } from '../queues/queues.service';
import { AssignmentsService } from './assignments.service';
import { CommandChainService } from './command-chain.service';
import { DispatchService } from './dispatch.service';
import { AssignmentStatusDto } from './dto/assignment-status.dto';
import { AssignUnitDto, CloseDto, EscalateDto, ListIncidentsQuery, ResourceRequestDto } from './dto/incident-actions.dto';
import { IncidentsService } from './incidents.service';

const uuid = new ParseUUIDPipe();

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
  ) {}

  /**
   * `GET /api/incidents?open=true&exercise=false&drillId=&limit=`: incidents with street, district,
   * commanding tier, calls and assigned units (ETA in seconds), most urgent first.
   */
  @Get('incidents')
  list(@Query() q: ListIncidentsQuery) {
    return this.incidents.list(
      {
        open: q.open === 'true' || q.open === '1',
        exercise: q.exercise === undefined ? undefined : q.exercise === 'true',
        drillId: q.drillId,
      },
      q.limit ? Number(q.limit) : 500,
    );
  }

  /** `GET /api/incidents/:id`. */
  @Get('incidents/:id')
  one(@Param('id', uuid) id: string) {
    return this.incidents.view(id);
  }

  /** `GET /api/incidents/:id/events`: the incident's timeline, in sequence order. */
  @Get('incidents/:id/events')
  async timeline(@Param('id', uuid) id: string) {
    await this.incidents.view(id);
    return this.events.ofIncident(id);
  }

  /** `POST /api/incidents/:id/escalate {reason}`: move command one tier up by hand; the new tier dispatches. */
  @Post('incidents/:id/escalate')
  async escalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto) {
    const revision = await this.chain.moveByHand(id, 'up', dto.reason, 'api');
    await this.queues.addDispatch({ incidentId: id, revision });
    return this.incidents.view(id);
  }

  /** `POST /api/incidents/:id/deescalate {reason}`: hand command back one tier down. */
  @Post('incidents/:id/deescalate')
  async deescalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto) {
    await this.chain.moveByHand(id, 'down', dto.reason, 'api');
    return this.incidents.view(id);
  }

  /** `POST /api/incidents/:id/close {disposition?}`: every unit must have cleared (`409` otherwise). */
  @Post('incidents/:id/close')
  async close(@Param('id', uuid) id: string, @Body() dto: CloseDto) {
    await this.incidents.changeStatus(id, 'closed', dto.disposition ?? null, 'api');
    return this.incidents.view(id);
  }

  /** `POST /api/incidents/:id/cancel {disposition?}`: not needed; its units are freed. */
  @Post('incidents/:id/cancel')
  async cancel(@Param('id', uuid) id: string, @Body() dto: CloseDto) {
    await this.incidents.changeStatus(id, 'cancelled', dto.disposition ?? null, 'api');
    return this.incidents.view(id);
  }

  /** `POST /api/incidents/:id/reopen`: a resolved or closed incident is received again and dispatched afresh. */
  @Post('incidents/:id/reopen')
  async reopen(@Param('id', uuid) id: string) {
    const revision = await this.incidents.changeStatus(id, 'received', null, 'api');
    await this.queues.addDispatch({ incidentId: id, revision });
    return this.incidents.view(id);
  }

  /**
   * `POST /api/incidents/:id/assignments {unitId, capability?}`: assign a unit by hand. `201` with
   * the assignment; `409` naming the unit's status and incident when it is not available.
   */
  @Post('incidents/:id/assignments')
  assign(@Param('id', uuid) id: string, @Body() dto: AssignUnitDto) {
    return this.dispatch.assignByHand(id, dto.unitId, 'api', dto.capability);
  }

  /**
   * `POST /api/incidents/:id/resource-requests {capabilities, reason}`: the commanding tier asks the
   * tier above for extra units and keeps command. `201 {fromTier, jurisdictionId, sent, unfilled}`.
   */
  @Post('incidents/:id/resource-requests')
  requestResources(@Param('id', uuid) id: string, @Body() dto: ResourceRequestDto) {
    return this.dispatch.requestResources(id, dto.capabilities, dto.reason, 'api');
  }

  /**
   * `PATCH /api/assignments/:id {status, at?, lat?, lon?}`: acknowledged, en route, on scene,
   * transporting, at hospital, cleared. `200 {assignment, applied}`; `applied: false` for a report
   * older than the status in force (recorded only); `409` names the current status when not allowed.
   */
  @Patch('assignments/:id')
  @HttpCode(200)
  status(@Param('id', uuid) id: string, @Body() dto: AssignmentStatusDto) {
    const position = dto.lat !== undefined && dto.lon !== undefined ? { lat: dto.lat, lon: dto.lon } : undefined;
    return this.assignments.changeStatus(id, dto.status, dto.at ? new Date(dto.at) : new Date(), 'api', position);
  }
}
