import {
  ACTIVE_ASSIGNMENT_STATUSES,
  CLOSED_INCIDENT_STATUSES,
  incidentStatusFromTasks,
  IncidentStatus,
  isOpenIncident,
  JurisdictionIndex,
  nextIncidentStatus,
  heldReason,
} from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not, Raw } from 'typeorm';
import { Assignment, Call, Escalation, Incident, readEntities } from '@cad/db';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { releaseTask } from './release-task';
import { raisePriority } from './priority-change';
import { cancelDeadlines } from './deadline.store';
import { assignmentView, incidentCallNumber, incidentView, IncidentView } from './incident.view';
import { incidentAccess } from '../closures/incident-access';
import { ClosuresService } from '../closures/closures.service';

/** One page of `GET /api/incidents`: `total` incidents match; `items` are those from `offset`, at most `limit`. */
export interface IncidentPage {
  items: IncidentView[];
  total: number;
  limit: number;
  offset: number;
}

/** An incident view's calls and escalations read ahead for several views ({@link IncidentsService.viewRows}). */
export interface ViewRows {
  calls: Call[];
  escalations: Escalation[];
}

/**
 * An incident's lifecycle after intake (merge, close, cancel, reopen) and its read model (the view
 * the API and every event show, pages of incidents). Intake is `IncidentIntakeService`'s.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly clock: ClockService,
    private readonly closures: ClosuresService,
  ) {}

  /**
   * Merges an incident a dispatcher found to be the same emergency as another: its calls move to the
   * surviving incident (linked, each keeping its own record and time), its active tasks move with
   * their units and acknowledgement timers (nothing is dispatched twice), its other timers are
   * cancelled, and it ends `merged` with `mergedInto`. The survivor takes the more urgent priority
   * of the two and its status follows its tasks. Both incidents are locked in id order, so two
   * dispatchers merging the same pair either way cannot deadlock; the second gets a 409.
   * @param id the duplicate, which ends `merged`
   * @param intoId the surviving incident (must be open)
   * @returns the survivor's id
   * @throws InvalidInput (400) naming `into` when it is the incident itself
   * @throws NotFound for an unknown incident
   * @throws InvalidTransition (409) naming the duplicate's status when it can no longer be merged (on scene, closed, ...)
   * @throws StateConflict (409) naming `into` when the survivor is closed, or one is a drill's and the other not
   */
  async merge(id: string, intoId: string, reason: string, actor: string): Promise<string> {
    if (id === intoId) throw new InvalidInput('into: an incident cannot be merged into itself');
    return this.ds.transaction(async (m) => {
      const locked = new Map<string, Incident>();
      for (const x of [id, intoId].sort()) {
        const row = await m.findOne(Incident, { where: { id: x }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw new NotFound('incident', x);
        locked.set(x, row);
      }
      const dup = locked.get(id)!;
      const into = locked.get(intoId)!;
      if (dup.status === 'merged') throw new StateConflict(`incident was already merged into ${dup.mergedIntoId}`, { status: dup.status, mergedInto: dup.mergedIntoId });
      nextIncidentStatus(dup.status, 'merged');
      if (!isOpenIncident(into.status)) throw new StateConflict(`into: incident ${intoId} is ${into.status}; merge into an open incident`, into.status);
      if (dup.exercise !== into.exercise || dup.drillId !== into.drillId) {
        throw new StateConflict('into: a drill incident and a live one (or two drills\' incidents) cannot be merged', { exercise: [dup.exercise, into.exercise] });
      }
      const at = dup.exercise ? this.clock.timeFor(dup) : new Date();
      const calls = await m.find(Call, { where: { incidentId: id }, order: { receivedAt: 'ASC' } });
      await m.update(Call, { incidentId: id }, { incidentId: intoId, linked: true });
      const moved = await m.find(Assignment, { where: { incidentId: id, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
      if (moved.length) {
        await m.update(Assignment, { id: In(moved.map((a) => a.id)) }, { incidentId: intoId });
        await m.query(`UPDATE deadline SET incident_id = $2 WHERE assignment_id = ANY($1) AND state = 'pending'`, [moved.map((a) => a.id), intoId]);
      }
      await cancelDeadlines(m, { incidentId: id });
      await m.update(Incident, { id }, { status: 'merged', mergedIntoId: intoId, closedAt: at, disposition: `merged into ${intoId}: ${reason}`, revision: dup.revision + 1 });
      const tasks = await m.find(Assignment, { where: { incidentId: intoId } });
      const status = incidentStatusFromTasks(into.status, tasks);
      const chains = [...new Set([...this.index.chain(dup.streetId), ...this.index.chain(into.streetId)])];
      // The more urgent priority, recorded as a link of a more urgent call is (`incident.priority_changed`).
      const intoRevision = into.revision;
      await raisePriority(m, this.events, into, { to: dup.priority, reason: 'merged', fromIncidentId: id, at, actor, jurisdictionIds: chains });
      await m.update(Incident, { id: intoId }, {
        status,
        dispatchedAt: into.dispatchedAt ?? (moved.length ? (dup.dispatchedAt ?? at) : null),
        revision: intoRevision + 1,
      });
      // On both timelines: the duplicate says where it went, the survivor what it absorbed.
      const intoCallNumber = incidentCallNumber(await m.find(Call, { where: { incidentId: intoId }, order: { receivedAt: 'ASC' } }));
      const merged = { into: intoId, intoCallNumber, from: id, fromCallNumber: incidentCallNumber(calls), reason, calls: calls.map((c) => c.id), units: moved.map((a) => a.unitId) };
      for (const x of [id, intoId]) {
        await this.events.append(m, { type: 'incident.merged', incidentId: x, jurisdictionIds: chains, at, actor, payload: { incidentId: x, ...merged } });
      }
      let survivor: IncidentView | null = null;
      for (const x of [id, intoId]) {
        const v = await this.view(x, m);
        if (x === intoId) survivor = v;
        await this.events.append(m, { type: 'incident.updated', incidentId: x, jurisdictionIds: this.index.chain(v.street?.id ?? null), at, actor, payload: v });
      }
      // Each moved task, to its unit's phone (`incident.merged` names no unit, and the survivor's
      // `incident.updated` does not say the task moved): the task now belongs to the survivor, whose view comes with it.
      for (const a of tasks.filter((t) => moved.some((x) => x.id === t.id))) {
        const view = assignmentView(a);
        await this.events.append(m, {
          type: 'assignment.updated',
          incidentId: intoId,
          unitId: a.unitId,
          jurisdictionIds: chains,
          at,
          actor,
          payload: { incidentId: intoId, assignment: view, incident: survivor!, reason: 'merged', detail: `incident ${id} merged into ${intoId}: ${reason}` },
        });
      }
      return intoId;
    });
  }

  /**
   * Dispatcher's change of an incident's status: `closed` (every unit must have cleared),
   * `cancelled` (not needed: active tasks are cleared and their units freed), or `received` (reopen
   * a resolved, closed or cancelled incident: a new revision, so it gets fresh dispatch and timers).
   * @returns the incident's revision after the change
   * @throws NotFound for an unknown incident
   * @throws InvalidTransition (409) naming the current status when the change is not allowed
   * @throws StateConflict (409) when closing with units still assigned
   */
  async changeStatus(id: string, to: 'closed' | 'cancelled' | 'received', disposition: string | null, actor: string): Promise<number> {
    return this.ds.transaction(async (m) => {
      const incident = await m.findOne(Incident, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw new NotFound('incident', id);
      nextIncidentStatus(incident.status, to);
      const at = incident.exercise ? new Date(Math.max((incident.resolvedAt ?? incident.receivedAt).getTime(), this.clock.timeFor(incident).getTime())) : new Date();
      const active = await m.find(Assignment, { where: { incidentId: id, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
      if (to === 'closed' && active.length) {
        throw new StateConflict(`incident has ${active.length} unit(s) still assigned (${active.map((a) => a.unitId).join(', ')}): clear them first`, incident.status);
      }
      const chain = this.index.chain(incident.streetId);
      for (const a of active) {
        await releaseTask(m, this.events, a, { reason: 'incident_cancelled', detail: `incident ${to}`, unitStatus: 'available', at, actor, jurisdictionIds: chain });
      }
      await cancelDeadlines(m, { incidentId: id });
      const patch: Partial<Incident> = { status: to as IncidentStatus, revision: incident.revision + 1 };
      if (to === 'closed') Object.assign(patch, { closedAt: at, disposition });
      if (to === 'cancelled') Object.assign(patch, { closedAt: at, disposition, resolvedAt: incident.resolvedAt ?? at });
      // Reopened: held until a dispatcher confirms its dispatch (`POST /api/incidents/:id/confirm-dispatch`).
      if (to === 'received') Object.assign(patch, { closedAt: null, resolvedAt: null, dispatchedAt: null, ...heldReason({ code: 'reopened', params: {} }), disposition: null, autoDispatch: false });
      await m.update(Incident, { id }, patch);
      await this.events.append(m, {
        type: 'incident.updated',
        incidentId: id,
        jurisdictionIds: chain,
        at,
        actor,
        payload: await this.view(id, m),
      });
      return patch.revision!;
    });
  }

  /**
   * The incident with its assignments, calls, suggested links and escalations, as the API shows it.
   * @throws NotFound
   */
  async view(id: string, m: EntityManager = this.ds.manager): Promise<IncidentView> {
    const [i] = await readEntities(m, Incident, 'WHERE id = $1', [id]);
    if (!i) throw new NotFound('incident', id);
    return (await this.views([i], m))[0];
  }

  /**
   * Incidents, live ones first, then most urgent first (priority, then oldest first for open ones; newest first for all).
   * @param filter `open` only; `exercise` true/false to keep drill or live ones; `drillId`; the
   *   viewer's scope: a `streetId` or `districtId` (their subtree), or a `unitId` (a responder's tasks);
   *   `q` text to find in the address or type
   * @param page `limit` incidents (1..1000) after skipping `offset`, in a total order (ties broken by id)
   * @returns the page's incidents with the `total` matching the filter (every page, not only this one)
   */
  async list(
    filter: { open?: boolean; exercise?: boolean; drillId?: string; q?: string; streetId?: string; districtId?: string; unitId?: string },
    page: { limit: number; offset: number } = { limit: 500, offset: 0 },
  ): Promise<IncidentPage> {
    const limit = Math.max(1, Math.min(page.limit, 1000));
    const offset = Math.max(0, page.offset);
    const where: Record<string, unknown> = {};
    if (filter.streetId) where.streetId = filter.streetId;
    if (filter.districtId) where.districtId = filter.districtId;
    // Text and a responder's tasks filter in SQL (subqueries), so neither caps nor grows the parameter list.
    const subqueries: string[] = [];
    const params: Record<string, string> = {};
    if (filter.q) {
      // Addresses are stored NFC-normalised as sent; match the query the same way, in any script.
      params.like = `%${filter.q.normalize('NFC').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      subqueries.push('SELECT id FROM incident WHERE address ILIKE :like OR type ILIKE :like');
    }
    if (filter.unitId) {
      params.unit = filter.unitId;
      // A responder's phone: live tasks only (a drill's task of the same unit id belongs to a simulated crew).
      subqueries.push(`SELECT incident_id FROM assignment WHERE unit_id = :unit AND world = 'live'`);
    }
    if (subqueries.length) where.id = Raw((col) => subqueries.map((q) => `${col} IN (${q})`).join(' AND '), params);
    if (filter.open) where.status = Not(In([...CLOSED_INCIDENT_STATUSES]));
    if (filter.exercise !== undefined) where.exercise = filter.exercise;
    if (filter.drillId) where.drillId = filter.drillId;
    const [rows, total] = await this.ds.getRepository(Incident).findAndCount({
      where,
      // Live incidents always above exercise ones, then by priority; the id last makes the order total, so pages neither repeat nor skip rows of equal time.
      order: { exercise: 'ASC', priority: 'ASC', receivedAt: filter.open ? 'ASC' : 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.views(rows, this.ds.manager), total, limit, offset };
  }

  /**
   * The view of an incident whose row and tasks the caller holds already (read inside its transaction,
   * with its changes applied): only its calls and escalations are read. The same view as {@link view}
   * (tasks in dispatch order, ties by id), two queries fewer on a crew's status step (issue 19's profile).
   * @param incident the incident as it now stands
   * @param assignments every task of the incident, as they now stand (any order)
   */
  async viewOf(incident: Incident, assignments: readonly Assignment[], m: EntityManager = this.ds.manager, rows?: ViewRows): Promise<IncidentView> {
    return (await this.views([incident], m, { assignments: [...assignments].sort(byDispatchOrder), ...rows }))[0];
  }

  /**
   * The calls (each incident's own, and those suggesting a link to it) and escalations of incidents,
   * read once in the caller's transaction for several {@link viewOf}s (a drill's batch of crew steps
   * changes neither: issue 19's profile, two queries per incident status change before). A superset
   * is fine: each view keeps its own incident's rows.
   * @param ids incident ids (uuid)
   */
  async viewRows(ids: readonly string[], m: EntityManager): Promise<ViewRows> {
    return { calls: await this.callsOf(ids, m), escalations: await this.escalationsOf(ids, m) };
  }

  private callsOf(ids: readonly string[], m: EntityManager): Promise<Call[]> {
    return readEntities(m, Call, 'WHERE incident_id = ANY($1) OR suggested_incident_id = ANY($1) ORDER BY received_at', [ids]);
  }

  private escalationsOf(ids: readonly string[], m: EntityManager): Promise<Escalation[]> {
    return readEntities(m, Escalation, 'WHERE incident_id = ANY($1) ORDER BY at, recorded_at', [ids]);
  }

  /**
   * Views of several incidents as the caller holds them (each row as stored in the caller's transaction),
   * reading their tasks, calls and escalations once for all (a dispatch round's batch of held decisions).
   * @returns one view per incident, in the order given
   */
  async viewsOf(incidents: Incident[], m: EntityManager = this.ds.manager): Promise<IncidentView[]> {
    return this.views(incidents, m);
  }

  /**
   * The view of an incident intake has just opened for one call, in intake's transaction: no task, no
   * escalation, and that call its only one (nothing else can name an incident that did not exist), so
   * nothing is read unless the call suggests a link to another incident (issue 19's profile).
   * @param call the call as now stored (its `incidentId` the new incident's)
   */
  async viewOfOpened(incident: Incident, call: Call, m: EntityManager): Promise<IncidentView> {
    return (await this.views([incident], m, { assignments: [], calls: [call], escalations: [] }))[0];
  }

  /** Views of incidents; `known` rows the caller holds (every one of that kind for these incidents) are used instead of being read. */
  private async views(incidents: Incident[], m: EntityManager, known: { assignments?: Assignment[]; calls?: Call[]; escalations?: Escalation[] } = {}): Promise<IncidentView[]> {
    if (incidents.length === 0) return [];
    const ids = incidents.map((i) => i.id);
    const assignments = known.assignments ?? (await readEntities(m, Assignment, 'WHERE incident_id = ANY($1) ORDER BY dispatched_at, id', [ids]));
    const calls = known.calls ?? (await this.callsOf(ids, m));
    const escalations = known.escalations ?? (await this.escalationsOf(ids, m));
    // The other side of a suggested link: incidents this one's calls may duplicate (rare: read only when there are some).
    const others = [...new Set(calls.filter((c) => c.incidentId && ids.includes(c.incidentId) && c.suggestedIncidentId).map((c) => c.suggestedIncidentId!))];
    const otherIncidents = others.length ? await readEntities(m, Incident, 'WHERE id = ANY($1)', [others]) : [];
    const otherCalls = others.length ? await readEntities(m, Call, 'WHERE incident_id = ANY($1) ORDER BY received_at', [others]) : [];
    return incidents.map((i) =>
      incidentView(i, {
        possibleDuplicateOf: otherIncidents
          .filter((o) => calls.some((c) => c.incidentId === i.id && c.suggestedIncidentId === o.id))
          .map((o) => ({ incidentId: o.id, callNumber: incidentCallNumber(otherCalls.filter((c) => c.incidentId === o.id)), type: o.type, address: o.address })),
        assignments: assignments.filter((a) => a.incidentId === i.id),
        access: incidentAccess(this.closures.lastKnownNetworkFor(i.drillId), i),
        calls: calls.filter((c) => c.incidentId === i.id),
        suggestedBy: calls.filter((c) => c.suggestedIncidentId === i.id && c.incidentId !== i.id),
        escalations: escalations.filter((e) => e.incidentId === i.id),
        index: this.index,
      }),
    );
  }

}

/** Tasks in the order an incident's view lists them: dispatched first, ties by id. */
function byDispatchOrder(a: Assignment, b: Assignment): number {
  return a.dispatchedAt.getTime() - b.dispatchedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
