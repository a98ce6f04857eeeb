import { uuidParam } from '../common/validation';
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { AuditService, ClientAddress } from '../auth/audit.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { LIVE_WORLD } from '@cad/domain';
import { RedispatchService } from '../queues/redispatch';
import { ClosuresService } from './closures.service';
import { ClosureJurisdiction } from './closure-jurisdiction';
import { CreateRoadClosureDto } from './dto/road-closure.dto';

/** Road closures: entered by dispatchers, honoured by every route and ETA from the moment they are stored. */
@Controller('road-closures')
export class ClosuresController {
  constructor(
    private readonly closures: ClosuresService,
    private readonly audit: AuditService,
    private readonly redispatch: RedispatchService,
    private readonly jurisdiction: ClosureJurisdiction,
  ) {}

  /**
   * `GET /api/road-closures`: the active live closures; `?include=drills` adds the open closures of
   * drill scenarios, each with its `drillId` (they route that drill only).
   */
  @Get()
  list(@Query('include') include?: string) {
    return this.closures.list(include === 'drills');
  }

  /**
   * `POST /api/road-closures {geometry, reason, endsAt?}` → `201 {closure, rerouted}`: applied before
   * the answer; tasks driving through it are re-routed. `400` naming `geometry` when it closes no road or a
   * polygon crosses itself, `endsAt` when it is not in the future; `403` naming `geometry` when a district
   * or street post draws beyond its jurisdiction.
   */
  @Post()
  @Allow(...DISPATCHERS)
  async create(@Body() dto: CreateRoadClosureDto, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    this.jurisdiction.assertMayCreate(user, dto.geometry);
    const done = await this.closures.create(dto.geometry, dto.reason, dto.endsAt ? new Date(dto.endsAt) : null, actorOf(user));
    await this.audit.record({ actor: user, action: 'closure.create', subject: `closure:${done.closure.id}`, source, after: { reason: dto.reason, endsAt: dto.endsAt ?? null, geometry: dto.geometry } });
    return done;
  }

  /**
   * `DELETE /api/road-closures/:id` → `200 {…closure, rerouted, redispatched}`: the roads reopen (unless
   * another closure holds them), and every live incident still waiting for units is dispatched again at
   * once (a unit the closure cut off may reach it now). `403` naming `id` when a district or street post
   * lifts a closure beyond its jurisdiction or entered by a higher tier.
   */
  @Delete(':id')
  @Allow(...DISPATCHERS)
  async remove(@Param('id', uuidParam('a road closure id')) id: string, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    const done = await this.closures.remove(id, actorOf(user), user);
    await this.audit.record({ actor: user, action: 'closure.delete', subject: `closure:${id}`, source });
    const redispatched = await this.redispatch.waiting(LIVE_WORLD);
    return { ...done, redispatched };
  }
}
