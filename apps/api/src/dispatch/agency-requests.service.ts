import { ackTimeoutFor, heldReason, isOpenIncident, JurisdictionIndex } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgencyRequestRow, Incident, Unit } from '@cad/db';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { CommandChainService } from '../command-chain/command-chain.service';
import { AssignByHandService } from './assign-by-hand.service';
import { IncidentsService } from '../incidents/incidents.service';
import { AssignmentView } from '../incidents/incident.view';
import { agencyRequestView, AgencyRequestView } from './agency-requests.store';

/** An incident an unanswered request escalated: dispatch it again at its new revision. */
export interface UnansweredEscalation {
  incidentId: string;
  revision: number;
  priority: number;
}

/**
 * Requests to other agencies' posts (issue 21): the command centre asks the police post (or a
 * utility's) for a unit instead of dispatching one (the agency's `dispatchMode: request` in the city
 * profile; `DispatchService.dispatch` makes the requests). The post accepts with a unit of its own
 * agency, which is then assigned like any task (its crew acknowledges within the agency's timeout), or
 * declines with a reason; a request left open past its due time is marked unanswered and escalates
 * its incident one tier, once, and stays open for the post to accept late.
 */
@Injectable()
export class AgencyRequestsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly byHand: AssignByHandService,
    private readonly chain: CommandChainService,
    private readonly clock: ClockService,
    private readonly incidents: IncidentsService,
  ) {}

  /**
   * Requests, newest first: one incident's, or every world's open ones.
   * @param q `incidentId` (all its requests) or `open` (only open ones); `world` defaults to `live`
   */
  async list(q: { incidentId?: string; open?: boolean; world?: string }): Promise<AgencyRequestView[]> {
    const where: Record<string, unknown> = q.incidentId ? { incidentId: q.incidentId } : { world: q.world ?? 'live' };
    if (q.open) where.status = 'open';
    const rows = await this.ds.getRepository(AgencyRequestRow).find({ where, order: { requestedAt: 'DESC' }, take: 500 });
    return rows.map(agencyRequestView);
  }

  /** One request. @throws NotFound */
  async get(id: string): Promise<AgencyRequestView> {
    const r = await this.ds.getRepository(AgencyRequestRow).findOneBy({ id });
    if (!r) throw new NotFound('agency request', id);
    return agencyRequestView(r);
  }

  /**
   * The agency's post accepts a request with one of its units: the unit is assigned to the incident
   * for the requested capability (an acknowledgement deadline at the agency's timeout) and the
   * request becomes `accepted`, in one transaction.
   * @throws NotFound for an unknown request or unit
   * @throws InvalidInput (400) when the unit is not of the request's agency or lacks its capability
   * @throws StateConflict (409) when the request was already answered (naming its status and unit),
   *   the incident is closed, or the unit is not available
   */
  async accept(id: string, unitId: string, actor: string): Promise<{ request: AgencyRequestView; assignment: AssignmentView }> {
    const r = await this.ds.getRepository(AgencyRequestRow).findOneBy({ id });
    if (!r) throw new NotFound('agency request', id);
    this.assertOpen(r);
    const unit = await this.ds.getRepository(Unit).findOneBy({ world: r.world, id: unitId });
    if (!unit) throw new NotFound('unit', unitId);
    if (unit.agency !== r.agency) throw new InvalidInput(`unitId: ${unitId} is a ${unit.agency} unit; this request is for a ${r.agency} unit`);
    if (!unit.capabilities.includes(r.capability)) throw new InvalidInput(`unitId: ${unitId} has ${unit.capabilities.join(', ') || 'no capability'}, not ${r.capability}`);
    let accepted: AgencyRequestRow | null = null;
    const assignment = await this.byHand.assignByHand(r.incidentId, unitId, actor, r.capability, undefined, async (m, a) => {
      accepted = await this.answer(m, id, { status: 'accepted', unitId, assignmentId: a.id, note: null }, actor, a.dispatchedAt, 'agency.request_accepted');
    });
    return { request: agencyRequestView(accepted!), assignment };
  }

  /**
   * The agency's post declines a request (no unit to spare): the request becomes `declined` with the
   * reason, which the incident shows (`lastError`) so the dispatcher can act (another agency, by hand).
   * @throws NotFound / StateConflict (409) as {@link accept}
   */
  async decline(id: string, reason: string, actor: string): Promise<AgencyRequestView> {
    return this.ds.transaction(async (m) => {
      const r = await m.findOneBy(AgencyRequestRow, { id });
      if (!r) throw new NotFound('agency request', id);
      const incident = await m.findOne(Incident, { where: { id: r.incidentId }, lock: { mode: 'pessimistic_write' } });
      const when = incident ? this.clock.timeFor(incident) : new Date();
      const done = await this.answer(m, id, { status: 'declined', unitId: null, assignmentId: null, note: reason }, actor, when, 'agency.request_declined');
      if (incident && isOpenIncident(incident.status)) {
        await m.update(Incident, { id: incident.id }, heldReason({ code: 'agency_declined', params: { agency: r.agency, capability: r.capability, reason } }));
        const view = await this.incidents.view(incident.id, m);
        await this.events.append(m, { type: 'incident.updated', incidentId: incident.id, jurisdictionIds: this.index.chain(incident.streetId), at: when, actor, payload: view });
      }
      return agencyRequestView(done);
    });
  }

  /**
   * The reconciler's sweep: each open live request past its due time that was not yet marked is marked
   * unanswered (`agency.request_unanswered`) and escalates its open incident one tier (reason
   * `request_unanswered`, escalation key `request-<id>`: once, however often the sweep runs); a request
   * whose incident has ended meanwhile becomes `withdrawn`. Drill requests are left alone (no post
   * answers a drill).
   * @returns the incidents escalated (dispatch them again at their new revision)
   */
  async sweepUnanswered(limit = 200): Promise<UnansweredEscalation[]> {
    const due: { id: string }[] = await this.ds.query(
      `SELECT id FROM agency_request WHERE status = 'open' AND unanswered_at IS NULL AND world = 'live' AND due_at < now() ORDER BY due_at LIMIT $1`,
      [limit],
    );
    const out: UnansweredEscalation[] = [];
    for (const { id } of due) {
      const e = await this.ds.transaction(async (m) => {
        const r = await m.findOne(AgencyRequestRow, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!r || r.status !== 'open' || r.unansweredAt) return null;
        const incident = await m.findOne(Incident, { where: { id: r.incidentId }, lock: { mode: 'pessimistic_write' } });
        const now = new Date();
        if (!incident || !isOpenIncident(incident.status)) {
          // The incident ended (closed, cancelled, merged) before the post answered: nothing left to ask for.
          await m.update(AgencyRequestRow, { id }, { status: 'withdrawn', answeredAt: now, answeredBy: 'timer:reconciler', note: `incident ${incident?.status ?? 'gone'}` });
          return null;
        }
        await m.update(AgencyRequestRow, { id }, { unansweredAt: now });
        const limitS = ackTimeoutFor(this.chain.agencyRules, r.agency, this.chain.policy.ackTimeoutS);
        const detail = `the ${r.agency} post did not answer the request for ${r.capability} within ${limitS} s`;
        const chain = this.index.chain(incident.streetId);
        await this.events.append(m, {
          type: 'agency.request_unanswered',
          incidentId: r.incidentId,
          jurisdictionIds: chain,
          at: now,
          actor: 'timer:reconciler',
          payload: { request: agencyRequestView(await m.findOneByOrFail(AgencyRequestRow, { id })), detail },
        });
        const moved = await this.chain.move(m, incident, { reason: 'request_unanswered', detail, key: `request-${id}`, actor: 'timer:reconciler', at: now });
        return moved ? { incidentId: incident.id, revision: incident.revision, priority: incident.priority } : null;
      });
      if (e) out.push(e);
    }
    return out;
  }

  private assertOpen(r: AgencyRequestRow): void {
    if (r.status !== 'open') {
      throw new StateConflict(`request ${r.id} is already ${r.status}${r.unitId ? ` with ${r.unitId}` : ''}`, { status: r.status, unitId: r.unitId });
    }
  }

  /** Answers an open request inside the caller's transaction (a conditional UPDATE: of two answers one wins), with its event. */
  private async answer(
    m: EntityManager,
    id: string,
    change: Pick<AgencyRequestRow, 'status' | 'unitId' | 'assignmentId' | 'note'>,
    actor: string,
    at: Date,
    type: 'agency.request_accepted' | 'agency.request_declined',
  ): Promise<AgencyRequestRow> {
    const changed = await m
      .createQueryBuilder()
      .update(AgencyRequestRow)
      .set({ ...change, answeredAt: new Date(), answeredBy: actor })
      .where(`id = :id AND status = 'open'`, { id })
      .execute();
    const r = await m.findOneByOrFail(AgencyRequestRow, { id });
    if (!changed.affected) this.assertOpen(r);
    const incident = await m.findOneBy(Incident, { id: r.incidentId });
    await this.events.append(m, {
      type,
      incidentId: r.incidentId,
      jurisdictionIds: this.index.chain(incident?.streetId ?? null),
      at,
      actor,
      payload: { request: agencyRequestView(r) },
    });
    if (type === 'agency.request_accepted' && (incident?.lastErrorCode === 'agency_waiting' || incident?.lastError?.includes('waiting for its post'))) await m.update(Incident, { id: incident.id }, heldReason(null));
    return r;
  }
}

