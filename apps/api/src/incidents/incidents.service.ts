import { CLOSED_INCIDENT_STATUSES, JurisdictionIndex } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { Assignment, Call, Incident, ResponsePlanRow } from '@cad/db';
import { NotFound } from '../common/errors';
import { EventsService } from '../events/events.service';
import { incidentView, IncidentView } from './incident.view';

/** Turns stored calls into incidents placed in the command chain, and reads incidents back. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
  ) {}

  /**
   * Intake of one stored call: places it in its street, district and city (point in polygon; outside
   * every polygon -> nearest street, flagged) and creates its incident, in one transaction that also
   * appends `incident.created`. Idempotent: a call that already has an incident returns it unchanged.
   * @returns the incident id and revision, and whether this run created it
   * @throws NotFound when the call does not exist
   */
  async intake(callId: string): Promise<{ incidentId: string; revision: number; created: boolean }> {
    return this.ds.transaction(async (m) => {
      const call = await m.findOne(Call, { where: { id: callId }, lock: { mode: 'pessimistic_write' } });
      if (!call) throw new NotFound('call', callId);
      if (call.incidentId) {
        const existing = await m.findOneByOrFail(Incident, { id: call.incidentId });
        return { incidentId: existing.id, revision: existing.revision, created: false };
      }
      const place = this.index.locate(call.lat, call.lon);
      const plan = await m.findOneBy(ResponsePlanRow, { callType: call.type });
      const incident = await m.save(
        m.create(Incident, {
          type: call.type,
          priority: call.priority,
          status: 'received',
          lat: call.lat,
          lon: call.lon,
          address: call.address,
          streetId: place.streetId,
          districtId: place.districtId,
          cityId: place.cityId,
          outsideBoundary: place.outsideBoundary,
          commandingTier: plan?.commandingTier ?? 'street',
          exercise: call.exercise,
          drillId: call.drillId,
          revision: 1,
          receivedAt: call.receivedAt,
          dispatchedAt: null,
          resolvedAt: null,
          lastError: null,
        }),
      );
      await m.update(Call, { id: call.id }, { incidentId: incident.id });
      await this.events.append(m, {
        type: 'incident.created',
        incidentId: incident.id,
        jurisdictionIds: this.index.chain(incident.streetId),
        at: call.receivedAt,
        actor: 'intake',
        payload: await this.view(incident.id, m),
      });
      return { incidentId: incident.id, revision: incident.revision, created: true };
    });
  }

  /**
   * The incident with its assignments, as the API shows it.
   * @throws NotFound
   */
  async view(id: string, m: EntityManager = this.ds.manager): Promise<IncidentView> {
    const i = await m.findOneBy(Incident, { id });
    if (!i) throw new NotFound('incident', id);
    return (await this.views([i], m))[0];
  }

  /** Open incidents (or all, newest first, at most `limit`); `filter` keeps exercise or live ones, or one drill's. */
  async list(open: boolean, limit = 500, filter: { exercise?: boolean; drillId?: string } = {}): Promise<IncidentView[]> {
    const rows = await this.ds.getRepository(Incident).find({
      where: {
        ...(open ? { status: Not(In([...CLOSED_INCIDENT_STATUSES])) } : {}),
        ...(filter.exercise !== undefined ? { exercise: filter.exercise } : {}),
        ...(filter.drillId ? { drillId: filter.drillId } : {}),
      },
      order: { priority: 'ASC', receivedAt: 'DESC' },
      take: limit,
    });
    return this.views(rows, this.ds.manager);
  }

  private async views(incidents: Incident[], m: EntityManager): Promise<IncidentView[]> {
    if (incidents.length === 0) return [];
    const ids = incidents.map((i) => i.id);
    const assignments = await m.find(Assignment, { where: { incidentId: In(ids) }, order: { dispatchedAt: 'ASC' } });
    const calls: { incident_id: string; n: string; first: string | null }[] = await m.query(
      `SELECT incident_id, COUNT(*) AS n, MIN(call_number) AS first FROM call WHERE incident_id = ANY($1) GROUP BY incident_id`,
      [ids],
    );
    const callsBy = new Map(calls.map((c) => [c.incident_id, { callNumber: c.first, count: Number(c.n) }]));
    return incidents.map((i) =>
      incidentView(
        i,
        assignments.filter((a) => a.incidentId === i.id),
        this.index,
        callsBy.get(i.id) ?? { callNumber: null, count: 0 },
      ),
    );
  }
}
