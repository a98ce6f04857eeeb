import { uuidParam } from '../common/validation';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { AuditService, ClientAddress } from '../auth/audit.service';
import { CurrentUser, Principal } from '../auth/principal';
import { IncidentsService } from '../incidents/incidents.service';
import { CapValidator } from '../alerts/cap/cap-validator';
import { incidentToCap } from './cap';

/** Exports of incidents in standard formats. */
@Controller()
export class CapController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly validator: CapValidator,
  ) {}

  /**
   * `GET /api/incidents/:id/cap`: the incident as a CAP 1.2 alert (`status` Exercise for drill incidents,
   * Actual otherwise), proved valid against the CAP 1.2 schema before it is sent.
   */
  @Get('incidents/:id/cap')
  @Header('content-type', 'application/cap+xml; charset=utf-8')
  async cap(@Param('id', uuidParam('an incident id')) id: string, @CurrentUser() user: Principal, @ClientAddress() source: string | null): Promise<string> {
    await this.access.assertIncident(user, id);
    // Awaited before the audit: an export that failed validation is not recorded as made.
    const xml = await this.validator.writeValid(incidentToCap(await this.incidents.view(id), 'city-cad'));
    await this.audit.record({ actor: user, action: 'export.cap', subject: `incident:${id}`, source });
    return xml;
  }
}
