import { uuidParam } from '../common/validation';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Allow, CurrentUser, DISPATCHERS, Principal, actorOf } from '../auth/principal';
import { NotFound } from '../common/errors';
import { callView } from '../incidents/incident.view';
import { IncidentsService } from '../incidents/incidents.service';
import { IncidentIntakeService } from '../intake/incident-intake.service';
import { DataSource } from 'typeorm';
import { Call } from '@cad/db';
import { QueuesService } from '../queues/queues.service';
import { CallsService } from './calls.service';
import { CreateCallDto } from './dto/create-call.dto';

/** `POST /api/calls`: a call for service enters the system; `POST /api/calls/:id/unlink`. */
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly incidents: IncidentsService,
    private readonly intake: IncidentIntakeService,
    private readonly queues: QueuesService,
    private readonly access: AccessService,
    private readonly ds: DataSource,
  ) {}

  /** Answers `202 { id, duplicate }` once the call is stored and queued; `400` naming the field on bad input. */
  @Post()
  @Allow(...DISPATCHERS)
  @HttpCode(202)
  create(@Body() dto: CreateCallDto) {
    return this.calls.accept(dto);
  }

  /**
   * `GET /api/calls/:id`: the call as received, with the incident it opened or joined (`incidentId`
   * null while intake is still placing it) and whether it was linked as a duplicate.
   */
  @Get(':id')
  async one(@Param('id', uuidParam('a call id')) id: string, @CurrentUser() user: Principal) {
    const call = await this.ds.getRepository(Call).findOneBy({ id });
    if (!call) throw new NotFound('call', id);
    if (call.incidentId) await this.access.assertIncident(user, call.incidentId);
    else if (user.role === 'responder') throw new NotFound('call', id);
    return { ...callView(call), incidentId: call.incidentId, suggestedIncidentId: call.suggestedIncidentId, exercise: call.exercise, drillId: call.drillId };
  }

  /**
   * `POST /api/calls/:id/unlink`: the call was linked as a duplicate but is a different emergency;
   * it becomes its own incident, which is dispatched. `200` with the new incident; `409` when the
   * call is not linked.
   */
  @Post(':id/unlink')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async unlink(@Param('id', uuidParam('a call id')) id: string, @CurrentUser() user: Principal) {
    const call = await this.ds.getRepository(Call).findOneBy({ id });
    if (!call) throw new NotFound('call', id);
    if (call.incidentId) await this.access.assertIncident(user, call.incidentId);
    const r = await this.intake.unlink(id, actorOf(user));
    if (r.created) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.revision, priority: r.priority });
    return this.incidents.view(r.incidentId);
  }
}
