import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { AssignmentsService } from './assignments.service';
import { AssignmentStatusDto } from './dto/assignment-status.dto';
import { IncidentsService } from './incidents.service';

/** Incidents and assignments. */
@Controller()
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly assignments: AssignmentsService,
  ) {}

  /**
   * `GET /api/incidents?open=true&exercise=true|false&drillId=<id>`: incidents with street, district and
   * assigned units (ETA in seconds); `exercise=false` shows live work only, `drillId` one drill's incidents.
   */
  @Get('incidents')
  list(@Query('open') open?: string, @Query('exercise') exercise?: string, @Query('drillId') drillId?: string) {
    const flag = exercise === undefined || exercise === '' ? undefined : exercise === 'true' || exercise === '1';
    return this.incidents.list(open === 'true' || open === '1', 500, { exercise: flag, drillId: drillId || undefined });
  }

  /** `GET /api/incidents/:id`. */
  @Get('incidents/:id')
  one(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.incidents.view(id);
  }

  /** `PATCH /api/assignments/:id`: en route, on scene, cleared. `409` names the current status when not allowed. */
  @Patch('assignments/:id')
  @HttpCode(204)
  async status(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AssignmentStatusDto) {
    const position = dto.lat !== undefined && dto.lon !== undefined ? { lat: dto.lat, lon: dto.lon } : undefined;
    await this.assignments.changeStatus(id, dto.status, dto.at ? new Date(dto.at) : new Date(), 'api', position);
  }
}
