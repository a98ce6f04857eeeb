import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../auth/principal';
import { uuidParam } from '../common/validation';
import { QueuesService } from '../queues/queues.service';
import { EscalateDto } from '../incidents/dto/incident-actions.dto';
import { IncidentsService } from '../incidents/incidents.service';
import { CommandChainService } from './command-chain.service';

const uuid = uuidParam('an incident id');

/**
 * Moves of an incident in the command chain by hand (escalate, de-escalate). An escalation queues a
 * dispatch at the incident's new revision (the new commanding tier dispatches): a call into the job
 * registry, never into the dispatch room.
 */
@Controller()
export class CommandChainController {
  constructor(
    private readonly chain: CommandChainService,
    private readonly incidents: IncidentsService,
    private readonly queues: QueuesService,
    private readonly access: AccessService,
  ) {}

  /** `POST /api/incidents/:id/escalate {reason}`: move command one tier up by hand; the new tier dispatches. */
  @Post('incidents/:id/escalate')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async escalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    const revision = await this.chain.moveByHand(id, 'up', dto.reason, actorOf(user));
    const view = await this.incidents.view(id);
    await this.queues.addDispatch({ incidentId: id, revision, priority: view.priority });
    return view;
  }

  /** `POST /api/incidents/:id/deescalate {reason}`: hand command back one tier down (`403` below the commanding tier). */
  @Post('incidents/:id/deescalate')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async deescalate(@Param('id', uuid) id: string, @Body() dto: EscalateDto, @CurrentUser() user: Principal) {
    await this.access.assertMayDeescalate(user, id);
    await this.chain.moveByHand(id, 'down', dto.reason, actorOf(user));
    return this.incidents.view(id);
  }
}
