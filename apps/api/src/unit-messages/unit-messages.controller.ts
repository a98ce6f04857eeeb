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

  /** The unit, checked: a well-formed id the principal may act for (its crew, or a dispatcher covering its home street). */
  private async unit(user: Principal, unitId: string): Promise<string> {
    if (!UNIT_ID.test(unitId)) throw new InvalidInput(`id: must be a unit id such as E38`);
    const u = await this.ds.getRepository(Unit).findOneBy({ world: 'live', id: unitId });
    await this.access.assertUnit(user, unitId, u?.homeStreetId ?? null);
    return unitId;
  }

  /** `POST /api/units/:id/messages {text, incidentId?}`: a dispatcher's message to the unit's phone. `201` with the message (state `sent`). */
  @Post('units/:id/messages')
  @Allow(...DISPATCHERS)
  async send(@Param('id') id: string, @Body() dto: SendMessageDto, @CurrentUser() user: Principal) {
    return this.messages.send(await this.unit(user, id), dto.text, actorOf(user), dto.incidentId);
  }

  /** `GET /api/units/:id/messages`: the unit's messages with their receipts, oldest first (its crew, or dispatchers and observers in scope). */
  @Get('units/:id/messages')
  async list(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.messages.list(await this.unit(user, id));
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
