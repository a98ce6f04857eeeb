import type { CommandTier } from '@cad/contracts';
import type { ResourcesRequestedPayload } from '@cad/contracts/events';
import { ackTimeoutFor, Agency, DISPATCHABLE_UNIT_STATUSES, JurisdictionIndex } from '@cad/domain';
import type { RoadNetwork } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AgencyRequestRow, Assignment, Incident, jsonbParam, Unit } from '@cad/db';
import { EventsService } from '../events/events.service';
import { TravelModelService } from '../routing/travel-model.service';
import { openAgencyRequests } from './agency-requests.store';
import { CommandChainService } from '../command-chain/command-chain.service';
import { ArmedDeadline, DeadlinesService } from '../command-chain/deadlines.service';
import { accessOptionsOf } from '../closures/incident-access';
import { assignmentView } from '../incidents/incident.view';
import { IncidentsService } from '../incidents/incidents.service';

/** One unit to assign, as chosen by the allocator or a dispatcher. */
export interface UnitChoice {
  unit: Unit;
  node: number;
  /** The network this unit routes on (a unit inside a closed area may drive its roads); default: the incident's. */
  network?: RoadNetwork;
  capability: string;
  etaSeconds: number;
  reason: string;
  runnerUp: unknown;
}

/**
 * Writes what dispatch decided inside the caller's transaction: a unit taken for an incident (its
 * task, route, events and acknowledgement deadline), the requests to other agencies' posts, and the
 * incident's `incident.updated` and `incident.resources_requested` events. Used by the dispatch job,
 * dispatch rounds, resource requests and assignment by hand.
 */
@Injectable()
export class UnitAssignmentService {
  constructor(
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly chain: CommandChainService,
    private readonly deadlines: DeadlinesService,
    private readonly travel: TravelModelService,
  ) {}

  /**
   * Takes a unit for an incident inside the caller's transaction: one conditional UPDATE moves the
   * unit from a dispatchable status to `dispatched` (bumping its version), then the assignment and
   * its events are written; a live incident's task gets its acknowledgement deadline, pushed on
   * `armed` (schedule after commit). A unique violation (another transaction assigned it first)
   * rolls back to a savepoint and answers null like a lost update does.
   * @returns the assignment, or null when the unit was no longer available
   */
  async assign(
    m: EntityManager,
    incident: Incident,
    c: UnitChoice,
    when: Date,
    actor: string,
    armed: (ArmedDeadline | null)[],
    network: RoadNetwork,
    replacesId: string | null = null,
  ): Promise<Assignment | null> {
    await m.query('SAVEPOINT assign_unit');
    // Plain SQL, the statements TypeORM wrote for them (issue 19's profile: building them cost more than running them).
    const taken: unknown[] = (
      await m.query(`UPDATE unit SET status = 'dispatched', version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE world = $1 AND id = $2 AND status = ANY($3) RETURNING id`, [
        c.unit.world,
        c.unit.id,
        [...DISPATCHABLE_UNIT_STATUSES],
      ])
    )[0];
    if (!taken.length) return null;
    const net = c.network ?? network;
    const route = net.routeToApproach(c.node, net.approach(incident.lat, incident.lon, accessOptionsOf(incident)));
    const turnout = this.travel.turnoutOf(c.unit.unitType);
    // As TypeORM's save made it: the properties given, then the generated id.
    const a = m.create(Assignment, {
      incidentId: incident.id,
      unitId: c.unit.id,
      world: c.unit.world,
      capability: c.capability,
      status: 'dispatched',
      // ETA = the unit type's turnout + modelled travel (the choice's etaSeconds), shown apart.
      etaSeconds: Number.isFinite(c.etaSeconds) ? turnout + c.etaSeconds : -1,
      turnoutSeconds: turnout,
      routeMetres: route?.metres ?? 0,
      route: route?.geometry ?? null,
      dispatchedAt: when,
      statusAt: when,
      acknowledgedAt: null,
      enRouteAt: null,
      onSceneAt: null,
      transportingAt: null,
      atHospitalAt: null,
      clearedAt: null,
      replacesId,
    });
    try {
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO assignment (incident_id, unit_id, world, capability, status, eta_seconds, turnout_seconds, route_metres, route, dispatched_at, status_at, replaces_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [a.incidentId, a.unitId, a.world, a.capability, a.status, a.etaSeconds, a.turnoutSeconds, a.routeMetres, jsonbParam(a.route), a.dispatchedAt, a.statusAt, a.replacesId],
      );
      a.id = id;
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
      await m.query('ROLLBACK TO SAVEPOINT assign_unit');
      return null;
    }
    const chain = this.index.chain(incident.streetId);
    await this.events.append(m, {
      type: 'assignment.created',
      incidentId: incident.id,
      unitId: c.unit.id,
      jurisdictionIds: chain,
      at: when,
      actor,
      payload: { incidentId: incident.id, assignment: assignmentView(a), reason: c.reason, runnerUp: c.runnerUp, tier: incident.commandingTier as CommandTier },
    });
    await this.events.append(m, {
      type: 'unit.status',
      incidentId: incident.id,
      unitId: c.unit.id,
      jurisdictionIds: chain,
      at: when,
      actor,
      payload: { unitId: c.unit.id, status: 'dispatched', lat: c.unit.lat, lon: c.unit.lon },
    });
    if (!incident.exercise) armed.push(await this.deadlines.arm(m, { kind: 'ack', incidentId: incident.id, assignmentId: a.id, revision: incident.revision, from: a.dispatchedAt, agency: c.unit.agency }));
    return a;
  }

  /**
   * Asks the posts of agencies dispatched by request (police, the utilities) for the slots `requested`,
   * inside the caller's transaction, each due within its agency's acknowledgement timeout (one request
   * per slot: a repeat is ignored; see `openAgencyRequests`).
   * @param slotPrefix prefix of the requests' slots (`alarm2-`)
   * @returns the requests opened
   */
  requestOfAgencies(m: EntityManager, incident: Incident, requested: readonly { capability: string; agency: Agency }[], when: Date, slotPrefix?: string): Promise<AgencyRequestRow[]> {
    const timeoutOf = (a: Agency) => ackTimeoutFor(this.chain.agencyRules, a, this.chain.policy.ackTimeoutS);
    return openAgencyRequests(m, this.events, incident, requested, when, timeoutOf, this.index.chain(incident.streetId), slotPrefix);
  }

  /** Appends `incident.resources_requested` (units asked of a tier, and what came) inside the caller's transaction. */
  async appendResourcesRequested(m: EntityManager, incident: Incident, at: Date, actor: string, payload: ResourcesRequestedPayload): Promise<void> {
    await this.events.append(m, { type: 'incident.resources_requested', incidentId: incident.id, jurisdictionIds: this.index.chain(incident.streetId), at, actor, payload });
  }

  /**
   * Runs `work` in the caller's transaction with the events it appends written in one INSERT when it
   * returns (see `EventsService.batched`): a dispatch decision's escalations, tasks and update.
   */
  recordTogether<R>(m: EntityManager, work: () => Promise<R>): Promise<R> {
    return this.events.batched(m, work);
  }

  /**
   * Appends `incident.updated` for several incidents (in the order given) with their views as this
   * transaction sees them: the incidents read again in one statement, and their tasks, calls and
   * escalations once for all.
   */
  async appendIncidentsUpdated(m: EntityManager, items: readonly { incidentId: string; at: Date }[], actor: string): Promise<void> {
    if (!items.length) return;
    const rows = await m.find(Incident, { where: { id: In(items.map((x) => x.incidentId)) } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const present = items.filter((x) => byId.has(x.incidentId));
    const views = await this.incidents.viewsOf(present.map((x) => byId.get(x.incidentId)!), m);
    await this.events.appendAll(
      m,
      present.map((x, k) => ({ type: 'incident.updated' as const, incidentId: x.incidentId, jurisdictionIds: this.index.chain(views[k].street?.id ?? null), at: x.at, actor, payload: views[k] })),
    );
  }

  /** Appends `incident.updated` with the incident's view as this transaction sees it. */
  async appendIncidentUpdated(m: EntityManager, incidentId: string, at: Date, actor: string): Promise<void> {
    const view = await this.incidents.view(incidentId, m);
    await this.events.append(m, {
      type: 'incident.updated',
      incidentId,
      jurisdictionIds: this.index.chain(view.street?.id ?? null),
      at,
      actor,
      payload: view,
    });
  }
}
