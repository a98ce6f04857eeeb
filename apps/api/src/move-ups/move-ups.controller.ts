import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { JurisdictionIndex, LIVE_WORLD, MoveUpView } from '@cad/domain';
import { MoveUpRow } from '@cad/db';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { Forbidden, NotFound } from '../common/errors';
import { uuidParam } from '../common/validation';
import { ClockService } from '../platform/clock/clock.service';
import { MoveUpListQuery, ProposeMoveUpDto, RefuseMoveUpDto } from './dto/move-up.dto';
import { MoveUpRefuser, MoveUpsService } from './move-ups.service';

/**
 * Move-ups under MOVE_UP_MODE=apply (see `MoveUpsService`). Who may do what:
 * - propose, confirm (or refuse as dispatcher): a dispatching post whose jurisdiction holds both ends of
 *   the move (the unit's home street and the target station's street: a district dispatcher inside its
 *   district, the city commander across districts);
 * - consent (or refuse for the district): the owning district's post (its district dispatcher) or the city commander;
 * - acknowledge, arrived (or refuse as crew): the unit's own crew, from its phone (live moves only); a
 *   dispatcher holding both ends may also report the arrival.
 * A wrong post gets 403 naming why; a step on a move that ended gets 409.
 */
@Controller('move-ups')
export class MoveUpsController {
  constructor(
    private readonly moves: MoveUpsService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
    private readonly clock: ClockService,
  ) {}

  /**
   * `GET /api/move-ups?world=&jurisdictionId=&status=open|all`: moves of one world (default live), open
   * ones by default, those touching the jurisdiction (default the post's own); a responder: its unit's.
   */
  @Get()
  async list(@Query() q: MoveUpListQuery, @CurrentUser() user: Principal): Promise<MoveUpView[]> {
    const world = q.world ?? LIVE_WORLD;
    const all = q.status === 'all';
    if (user.role === 'responder') return world === LIVE_WORLD ? this.moves.list(world, { unitId: user.unitId ?? '', all }) : [];
    if (q.jurisdictionId && !this.index.get(q.jurisdictionId)) throw new NotFound('jurisdiction', q.jurisdictionId);
    const jid = q.jurisdictionId ?? user.jurisdictionId;
    if (jid && !this.access.coversJurisdiction(user, jid)) throw new Forbidden(`jurisdiction ${jid} is outside ${user.jurisdictionId}`);
    const city = jid ? this.index.get(jid)?.level === 'city' : user.role === 'system';
    return this.moves.list(world, { jurisdictionId: city ? null : jid, all });
  }

  /** `POST /api/move-ups {unitId, toStationId, world?}`: a dispatcher proposes a move; `201`, or `409` with the policy's reason. */
  @Post()
  @Allow(...DISPATCHERS)
  async propose(@Body() dto: ProposeMoveUpDto, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const world = dto.world ?? LIVE_WORLD;
    return this.moves.propose(world, dto.unitId.toUpperCase(), dto.toStationId, this.now(world), actorOf(user));
  }

  /** `POST /api/move-ups/:id/confirm`: the dispatcher confirms; repeating answers the same move. */
  @Post(':id/confirm')
  @HttpCode(200)
  @Allow(...DISPATCHERS)
  async confirm(@Param('id', uuidParam('a move-up id')) id: string, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const row = await this.moves.row(id);
    await this.assertDispatcher(user, row);
    return this.moves.confirm(id, this.now(row.world), actorOf(user));
  }

  /** `POST /api/move-ups/:id/consent`: the owning district consents to losing the unit. */
  @Post(':id/consent')
  @HttpCode(200)
  @Allow(...DISPATCHERS)
  async consent(@Param('id', uuidParam('a move-up id')) id: string, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const row = await this.moves.row(id);
    this.assertDistrict(user, row);
    return this.moves.consent(id, this.now(row.world), actorOf(user));
  }

  /** `POST /api/move-ups/:id/acknowledge`: the unit's crew acknowledges the move (from its phone). */
  @Post(':id/acknowledge')
  @HttpCode(200)
  async acknowledge(@Param('id', uuidParam('a move-up id')) id: string, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const row = await this.moves.row(id);
    this.assertCrew(user, row);
    return this.moves.acknowledge(id, this.now(row.world), actorOf(user));
  }

  /** `POST /api/move-ups/:id/arrived`: the unit reached its new station (its crew, or a dispatcher holding both ends). */
  @Post(':id/arrived')
  @HttpCode(200)
  async arrived(@Param('id', uuidParam('a move-up id')) id: string, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const row = await this.moves.row(id);
    if (user.role === 'responder') this.assertCrew(user, row);
    else await this.assertDispatcher(user, row);
    return this.moves.arrive(id, this.now(row.world), actorOf(user));
  }

  /**
   * `POST /api/move-ups/:id/refuse {reason}`: the crew (a responder), the owning district's post, or the
   * dispatcher holding both ends says no; the move is refused.
   */
  @Post(':id/refuse')
  @HttpCode(200)
  async refuse(@Param('id', uuidParam('a move-up id')) id: string, @Body() dto: RefuseMoveUpDto, @CurrentUser() user: Principal): Promise<MoveUpView> {
    const row = await this.moves.row(id);
    let by: MoveUpRefuser;
    if (user.role === 'responder') {
      this.assertCrew(user, row);
      by = 'crew';
    } else if (user.role === 'district_dispatcher' && user.jurisdictionId === row.owningDistrictId) {
      by = 'district';
    } else {
      await this.assertDispatcher(user, row);
      by = 'dispatcher';
    }
    return this.moves.refuse(id, by, dto.reason, this.now(row.world), actorOf(user));
  }

  /** The event time of a step: the drill's simulated now in a drill world, else the wall clock. */
  private now(world: string): Date {
    return this.clock.now(world === LIVE_WORLD ? null : world);
  }

  /** @throws Forbidden unless a dispatching post holds both ends of the move */
  private async assertDispatcher(user: Principal, row: MoveUpRow): Promise<void> {
    if (!DISPATCHERS.includes(user.role)) throw new Forbidden(`only a dispatcher confirms move-up ${row.id}`);
    const { fromStreetId, toStreetId } = await this.moves.ends(row);
    if (!this.access.coversStreet(user, fromStreetId) || !this.access.coversStreet(user, toStreetId)) {
      throw new Forbidden(`move-up of ${row.unitId} runs from ${fromStreetId ?? 'outside every street'} to ${toStreetId ?? 'outside every street'}: only a post holding both (${user.jurisdictionId} does not) confirms it`);
    }
  }

  /** @throws Forbidden unless the post is the owning district's (its district dispatcher) or the city commander */
  private assertDistrict(user: Principal, row: MoveUpRow): void {
    if (user.role === 'city_commander' || user.role === 'system') return;
    if (user.role === 'district_dispatcher' && row.owningDistrictId && user.jurisdictionId === row.owningDistrictId) return;
    throw new Forbidden(`only the post of district ${row.owningDistrictId ?? '(none)'}, where ${row.unitId} is based, consents to its move-up`);
  }

  /** @throws Forbidden unless the principal is the unit's crew and the move is live */
  private assertCrew(user: Principal, row: MoveUpRow): void {
    if (user.role !== 'responder' || (user.unitId ?? '').toUpperCase() !== row.unitId.toUpperCase()) throw new Forbidden(`only the crew of ${row.unitId} acknowledges its move-up`);
    if (row.world !== LIVE_WORLD) throw new Forbidden(`move-up ${row.id} is a drill's: the phone of unit ${user.unitId} acts on live moves only`);
  }
}
