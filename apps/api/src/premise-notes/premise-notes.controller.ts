import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { PremiseNoteDto, PremiseNotesQuery } from './dto/premise-note.dto';
import { PremiseNotesService } from './premise-notes.service';

/** Premise and hazard notes at addresses (see `PremiseNotesService`). */
@Controller()
export class PremiseNotesController {
  constructor(
    private readonly notes: PremiseNotesService,
    private readonly access: AccessService,
  ) {}

  /** `GET /api/premise-notes?lat=&lon=`: notes within `PREMISE_NOTE_RADIUS_M` of the point, hazards first, with `distanceM`. */
  @Get('premise-notes')
  @Allow(...DISPATCHERS)
  async near(@Query() q: PremiseNotesQuery) {
    return this.notes.near(Number(q.lat), Number(q.lon));
  }

  /** `GET /api/incidents/:id/premise-notes`: notes at the incident's point (its dispatchers and its crews). */
  @Get('incidents/:id/premise-notes')
  async forIncident(@Param('id', uuidParam('an incident id')) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.notes.forIncident(id);
  }

  /** `GET /api/incidents/:id/history`: earlier incidents at its location, newest first (see `PremiseNotesService.history`). */
  @Get('incidents/:id/history')
  async history(@Param('id', uuidParam('an incident id')) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    return this.notes.history(id);
  }

  /** `POST /api/premise-notes {lat, lon, address?, kind, text}`: `201` with the note. */
  @Post('premise-notes')
  @Allow(...DISPATCHERS)
  async create(@Body() dto: PremiseNoteDto, @CurrentUser() user: Principal) {
    return this.notes.create(dto, actorOf(user));
  }

  /** `PUT /api/premise-notes/:id {lat, lon, address?, kind, text}`: the note replaced. */
  @Put('premise-notes/:id')
  @Allow(...DISPATCHERS)
  async update(@Param('id') id: string, @Body() dto: PremiseNoteDto, @CurrentUser() user: Principal) {
    return this.notes.update(id, dto, actorOf(user));
  }

  /** `DELETE /api/premise-notes/:id`: `204`. */
  @Delete('premise-notes/:id')
  @Allow(...DISPATCHERS)
  @HttpCode(204)
  async remove(@Param('id') id: string) {
    await this.notes.remove(id);
  }
}
