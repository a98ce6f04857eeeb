import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident } from '@cad/db';
import { heldReason, type HistoryPage, JurisdictionIndex, REOPENED_HOLD } from '@cad/domain';
import { InvalidInput, StateConflict } from '../../common/errors';
import { EventsService } from '../../events/events.service';
import { IncidentsService } from '../incidents.service';
import type { HistoryQuery } from './history.dto';


/** The viewer's scope: a street or district post sees its subtree, a city post everything. */
export interface HistoryScope {
  streetId?: string;
  districtId?: string;
}

/** Past incidents: the history search, and the dispatch of a reopened incident once a dispatcher confirms it. */
@Injectable()
export class IncidentHistoryService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
  ) {}

  /**
   * Closed and cancelled live incidents matching every field given, newest first (ties by id, so pages
   * never repeat or skip), within the viewer's scope. A date alone (`2026-12-04`) as `to` counts the whole day.
   * @throws InvalidInput (400) naming `to` when it is before `from`
   */
  async search(q: HistoryQuery, scope: HistoryScope): Promise<HistoryPage> {
    const limit = q.limit ? Number(q.limit) : 20;
    const offset = q.offset ? Number(q.offset) : 0;
    const from = q.from ? new Date(q.from) : null;
    const to = q.to ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(q.to) ? Date.parse(q.to) + 86_400_000 : q.to) : null;
    if (from && to && to <= from) throw new InvalidInput('to must be after from');
    const like = (s: string) => `%${s.normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const qb = this.ds
      .createQueryBuilder(Incident, 'i')
      .where('i.exercise = false')
      .andWhere('i.status IN (:...statuses)', { statuses: q.status ? [q.status] : ['closed', 'cancelled'] });
    if (scope.streetId) qb.andWhere('i.street_id = :street', { street: scope.streetId });
    if (scope.districtId) qb.andWhere('i.district_id = :district', { district: scope.districtId });
    if (q.address) qb.andWhere('i.address ILIKE :address', { address: like(q.address) });
    if (q.type) qb.andWhere('i.type ILIKE :type', { type: like(q.type) });
    if (q.callNumber) qb.andWhere('i.id IN (SELECT c.incident_id FROM call c WHERE c.call_number ILIKE :callNumber)', { callNumber: like(q.callNumber) });
    if (from) qb.andWhere('i.received_at >= :from', { from });
    if (to) qb.andWhere('i.received_at < :to', { to });
    const [rows, total] = await qb.orderBy('i.received_at', 'DESC').addOrderBy('i.id', 'ASC').take(limit).skip(offset).getManyAndCount();
    const numbers = new Map<string, string>();
    if (rows.length) {
      const calls: { incident_id: string; call_number: string }[] = await this.ds.query(
        `SELECT DISTINCT ON (incident_id) incident_id, call_number FROM call WHERE incident_id = ANY($1) AND call_number IS NOT NULL ORDER BY incident_id, linked, received_at`,
        [rows.map((r) => r.id)],
      );
      for (const c of calls) numbers.set(c.incident_id, c.call_number);
    }
    const name = (id: string | null) => (id ? (this.index.get(id)?.name ?? null) : null);
    const items = rows.map((i) => ({
      id: i.id,
      callNumber: numbers.get(i.id) ?? null,
      type: i.type,
      priority: i.priority,
      address: i.address,
      status: i.status,
      receivedAt: i.receivedAt.toISOString(),
      closedAt: i.closedAt?.toISOString() ?? null,
      disposition: i.disposition,
      street: name(i.streetId),
      district: name(i.districtId),
    }));
    return { items, total, limit, offset };
  }

  /**
   * A reopened incident waiting for a dispatcher is released to automatic dispatch (the caller then
   * queues its dispatch job at the revision returned).
   * @throws StateConflict (409) when the incident is not a reopened one waiting for confirmation
   */
  async confirmDispatch(id: string, actor: string): Promise<{ revision: number; priority: number }> {
    return this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!incident || incident.status !== 'received' || incident.autoDispatch || incident.lastError !== REOPENED_HOLD) {
        throw new StateConflict('incident is not a reopened incident waiting for a dispatcher to confirm its dispatch', incident?.status ?? 'unknown');
      }
      await m.update(Incident, { id }, { autoDispatch: true, ...heldReason(null) });
      await this.events.append(m, {
        type: 'incident.updated',
        incidentId: id,
        jurisdictionIds: this.index.chain(incident.streetId),
        at: new Date(),
        actor,
        payload: await this.incidents.view(id, m),
      });
      return { revision: incident.revision, priority: incident.priority };
    });
  }
}
