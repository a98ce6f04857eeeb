import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { IncidentsService } from '../incidents/incidents.service';
import { QueuesService } from '../queues/queues.service';
import { CallsService } from './calls.service';
import { CreateCallDto } from './dto/create-call.dto';

/** `POST /api/calls`: a call for service enters the system; `POST /api/calls/:id/unlink`. */
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly incidents: IncidentsService,
    private readonly queues: QueuesService,
  ) {}

  /** Answers `202 { id, duplicate }` once the call is stored and queued; `400` naming the field on bad input. */
  @Post()
  @HttpCode(202)
  create(@Body() dto: CreateCallDto) {
    return this.calls.accept(dto);
  }

  /**
   * `POST /api/calls/:id/unlink`: the call was linked as a duplicate but is a different emergency;
   * it becomes its own incident, which is dispatched. `200` with the new incident; `409` when the
   * call is not linked.
   */
  @Post(':id/unlink')
  @HttpCode(200)
  async unlink(@Param('id', new ParseUUIDPipe()) id: string) {
    const r = await this.incidents.unlink(id, 'api');
    if (r.created) await this.queues.addDispatch({ incidentId: r.incidentId, revision: r.revision });
    return this.incidents.view(r.incidentId);
  }
}
