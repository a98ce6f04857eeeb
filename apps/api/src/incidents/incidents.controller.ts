import { uuidParam } from '../common/validation';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { AssignmentsService } from './assignments.service';
import { CloseDto, ListIncidentsQuery, MergeDto } from './dto/incident-actions.dto';
import { IncidentsService } from './incidents.service';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { JurisdictionIndex, worldOf } from '@cad/domain';
import { CloseDispositionPipe } from '../call-record/close-disposition.pipe';

const uuid = uuidParam('an incident id');

/**
 * Incidents: pages and views, the timeline and their lifecycle (close, cancel, merge, reopen). Moves in
 * the command chain by hand are `CommandChainController`'s; units sent to them, `DispatchController`'s;
 * crews' reports, `AssignmentsController`'s.
 */
@Controller()
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly assignments: AssignmentsService,
    private readonly events: EventsService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
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
   * must be allowed to act on both. When it raises the survivor's priority, the survivor's dispatch job
   * runs the plan of its new priority (issue 20).
   */
  @Post('incidents/:id/merge')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async merge(@Param('id', uuid) id: string, @Body() dto: MergeDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    await this.access.assertIncident(user, dto.into);
    const [from, into] = [await this.incidents.view(id), await this.incidents.view(dto.into)];
    const survivor = await this.incidents.merge(id, dto.into, dto.reason, actorOf(user));
    // A more urgent duplicate raises the survivor's priority: its plan changes (issue 20), so its dispatch runs again.
    if (from.priority < into.priority) await this.assignments.dispatchAfterPriorityRaise(survivor);
    return this.incidents.view(survivor);
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
}
