import { Controller, ForbiddenException, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { JurisdictionIndex } from '@cad/domain';
import { uuidParam } from '../../common/validation';
import { AccessService } from '../../auth/access.service';
import { actorOf, Allow, CurrentUser, DISPATCHERS, Principal } from '../../auth/principal';
import { QueuesService } from '../../queues/queues.service';
import { IncidentsService } from '../incidents.service';
import { HistoryQuery } from './history.dto';
import { IncidentHistoryService } from './history.service';

const uuid = uuidParam('an incident id');

/** Past incidents: find them, and dispatch a reopened one when the dispatcher says so. */
@Controller()
export class IncidentHistoryController {
  constructor(
    private readonly history: IncidentHistoryService,
    private readonly incidents: IncidentsService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
    private readonly queues: QueuesService,
  ) {}

  /**
   * `GET /api/incident-history?callNumber=&address=&type=&from=&to=&status=&limit=&offset=`: closed and
   * cancelled live incidents, newest first, one page `{items, total, limit, offset}` (`limit` 1..100,
   * default 20), within the viewer's jurisdiction (a street or district post sees its own subtree).
   * `400` naming the bad field. Responders are refused (403).
   */
  @Get('incident-history')
  @Allow(...DISPATCHERS, 'observer')
  search(@Query() q: HistoryQuery, @CurrentUser() user: Principal) {
    const level = user.jurisdictionId ? this.index.get(user.jurisdictionId)?.level : undefined;
    if (user.role === 'responder') throw new ForbiddenException('a crew phone has no incident history');
    return this.history.search(q, {
      streetId: level === 'street' ? user.jurisdictionId! : undefined,
      districtId: level === 'district' ? user.jurisdictionId! : undefined,
    });
  }

  /**
   * `POST /api/incidents/:id/confirm-dispatch`: a reopened incident (held until a dispatcher confirms,
   * see `POST /api/incidents/:id/reopen`) is dispatched afresh. `409` when it is not waiting for that.
   */
  @Post('incidents/:id/confirm-dispatch')
  @Allow(...DISPATCHERS)
  @HttpCode(200)
  async confirmDispatch(@Param('id', uuid) id: string, @CurrentUser() user: Principal) {
    await this.access.assertIncident(user, id);
    const { revision, priority } = await this.history.confirmDispatch(id, actorOf(user));
    await this.queues.addDispatch({ incidentId: id, revision, priority });
    return this.incidents.view(id);
  }
}
