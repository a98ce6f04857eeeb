import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Unit } from '@cad/db';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { Forbidden, InvalidInput } from '../common/errors';
import { UNIT_ID } from '../common/validation';
import { SendMessageDto } from './dto/unit-message.dto';
import { UnitMessagesService } from './unit-messages.service';

/** Messages from dispatchers to units' phones, and their read receipts (see `UnitMessagesService`). */
@Controller()
export class UnitMessagesController {
  constructor(
    private readonly messages: UnitMessagesService,
    private readonly access: AccessService,
    private readonly ds: DataSource,
  ) {}

  /**
   * The unit, checked, and which of its messages the principal may see or send: all (its crew, or a
   * post covering its home street), or those about the live incidents in the post's jurisdiction that
   * the unit is assigned to (see `AccessService.unitMessageScope`).
   */
  private async unit(user: Principal, unitId: string, purpose: 'read' | 'send'): Promise<'all' | string[]> {
    if (!UNIT_ID.test(unitId)) throw new InvalidInput(`id: must be a unit id such as E38`);
    const u = await this.ds.getRepository(Unit).findOneBy({ world: 'live', id: unitId });
    return this.access.unitMessageScope(user, unitId, u?.homeStreetId ?? null, purpose);
  }

  /**
   * `POST /api/units/:id/messages {text, incidentId?}`: a dispatcher's message to the unit's phone. `201` with the message (state `sent`).
   * A post that reaches the unit only through its incident must name that incident (`403` otherwise).
   */
  @Post('units/:id/messages')
  @Allow(...DISPATCHERS)
  async send(@Param('id') id: string, @Body() dto: SendMessageDto, @CurrentUser() user: Principal) {
    const scope = await this.unit(user, id, 'send');
    if (scope !== 'all' && !(dto.incidentId && scope.includes(dto.incidentId))) {
      throw new Forbidden(`unit ${id} is based outside ${user.jurisdictionId}: a message to it must name its incident there (incidentId ${scope.join(' or ')})`);
    }
    return this.messages.send(id, dto.text, actorOf(user), dto.incidentId);
  }

  /**
   * `GET /api/units/:id/messages`: the unit's messages with their receipts, oldest first (its crew, or dispatchers and observers in
   * scope; a post that reaches the unit only through its incidents sees the messages about those incidents).
   */
  @Get('units/:id/messages')
  async list(@Param('id') id: string, @CurrentUser() user: Principal) {
    const scope = await this.unit(user, id, 'read');
    return this.messages.list(id, scope === 'all' ? undefined : scope);
  }

  /** `POST /api/messages/:id/delivered`: the unit's phone has the message. Only that unit's crew; repeating changes nothing. */
  @Post('messages/:id/delivered')
  @HttpCode(200)
  async delivered(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.messages.receipt(await this.ownMessage(user, id), 'delivered', actorOf(user));
  }

  /** `POST /api/messages/:id/read`: the crew read the message. Only that unit's crew; repeating changes nothing. */
  @Post('messages/:id/read')
  @HttpCode(200)
  async read(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.messages.receipt(await this.ownMessage(user, id), 'read', actorOf(user));
  }

  private async ownMessage(user: Principal, id: string): Promise<string> {
    const unitId = await this.messages.unitOf(id);
    if (user.role !== 'responder' || user.unitId !== unitId) throw new Forbidden(`only the crew of ${unitId} can confirm its messages`);
    return id;
  }
}
