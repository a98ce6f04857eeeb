import {
  ACTIVE_ASSIGNMENT_STATUSES,
  CLOSED_INCIDENT_STATUSES,
  degreesAround,
  DuplicateWindow,
  incidentStatusFromAssignments,
  IncidentStatus,
  isOpenIncident,
  JurisdictionIndex,
  nextIncidentStatus,
  REOPENED_HOLD,
  sameEmergencyKind,
} from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not, Raw } from 'typeorm';
import { Assignment, Call, Escalation, Incident, ResponsePlanRow } from '@cad/db';
import { InvalidInput, NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { releaseTask } from './release-task';
import { cancelDeadlines } from './deadline.store';
import { LocationCheckService } from '../calls/location-check.service';
import { incidentCallNumber, incidentView, IncidentView } from './incident.view';
import { incidentAccess } from './incident-access';
import { ClosuresService } from '../closures/closures.service';
import { faultPoint } from '../platform/fault-points';
import { lockCallsForIntake, placeEachAloneOnFailure } from './intake-batch';

/** One page of `GET /api/incidents`: `total` incidents match; `items` are those from `offset`, at most `limit`. */
export interface IncidentPage {
  items: IncidentView[];
  total: number;
  limit: number;
  offset: number;
}

/** Outcome of the intake of one call. */
export interface IntakeResult {
  incidentId: string;
  revision: number;
  /** True when this run opened a new incident (dispatch it); false when linked or already done. */
  created: boolean;
  /** True when the call was linked to an open incident as another report of it. */
  linked: boolean;
  /** The incident's priority (1 most urgent), which orders its dispatch job. */
  priority: number;
}

/** Turns stored calls into incidents placed in the command chain, links duplicate calls, and reads incidents back. */
@Injectable()
export class IncidentsService {
  private readonly window: DuplicateWindow;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: ClockService,
    private readonly closures: ClosuresService,
    private readonly locations: LocationCheckService,
  ) {
    this.window = { radiusMetres: config.DUPLICATE_RADIUS_M, windowSeconds: config.DUPLICATE_WINDOW_S };
  }

  /**
   * Intake of one stored call, in one transaction with its events:
   * - a call about the same kind of emergency (same call family) within the duplicate window
   *   (`DUPLICATE_RADIUS_M`, `DUPLICATE_WINDOW_S`) of an open incident is linked to the nearest such
   *   incident (`call.linked`), and nothing is dispatched again. Nearby calls are serialised by
   *   advisory locks on the grid cells around them, so concurrent reports of one emergency make one
   *   incident;
   * - otherwise it opens an incident placed in its street, district and city (outside every polygon:
   *   nearest street, flagged), commanded at the street tier unless its plan says otherwise; an open
   *   incident of another kind nearby is recorded as a suggested link, never linked automatically.
   * Idempotent: a call that already has an incident returns it unchanged.
   * @throws NotFound when the call does not exist
   */
  async intake(callId: string): Promise<IntakeResult> {
    const [r] = await this.intakeBatch([callId]);
    if (r instanceof Error) throw r;
    return r;
  }

  /**
   * Intake of many stored calls in one transaction (issue 19): the rule of {@link intake} for each, in
   * the order received (see `lockCallsForIntake`: every cell the batch touches is locked first), so a
   * later call of the batch is linked to the incident an earlier one opened. When the transaction
   * fails, each call is placed again in its own, so a bad call answers its own error and the rest are
   * placed. Idempotent like {@link intake}.
   * @param callIds call ids (uuid)
   * @returns one entry per call id, in order: its intake result, or its error (NotFound for an unknown call)
   */
  async intakeBatch(callIds: string[]): Promise<(IntakeResult | Error)[]> {
    return placeEachAloneOnFailure(callIds, (ids) =>
      this.ds.transaction(async (m) => {
        const placed = new Map<string, IntakeResult>();
        for (const call of await lockCallsForIntake(m, ids, this.window.radiusMetres)) placed.set(call.id, await this.place(m, call));
        faultPoint('intake.batch-placed');
        return ids.map((id) => placed.get(id) ?? new NotFound('call', id));
      }),
    );
  }

  /** Places one locked call (its duplicate cells locked too): see {@link intake}. */
  private async place(m: EntityManager, call: Call): Promise<IntakeResult> {
    if (call.incidentId) {
      const existing = await m.findOneByOrFail(Incident, { id: call.incidentId });
      return { incidentId: existing.id, revision: existing.revision, created: false, linked: call.linked, priority: existing.priority };
    }
    const nearby = call.unlinkedAt ? [] : await this.openIncidentsNear(m, call);
    const same = nearby.find((n) => sameEmergencyKind(n.incident.type, call.type));
    if (same) return this.link(m, call, same.incident, same.metres);

    // The typed address against the device location: a mismatch is flagged, never held (see LocationCheckService).
    const where = this.locations.check(call);
    const place = this.index.locate(where.lat, where.lon);
    const plan = await m.findOneBy(ResponsePlanRow, { callType: call.type });
    const tier = plan?.commandingTier ?? 'street';
    const incident = await m.save(
      m.create(Incident, {
        type: call.type,
        priority: call.priority,
        status: 'received',
        lat: where.lat,
        lon: where.lon,
        address: call.address,
        roadway: call.roadway,
        headingDegrees: call.headingDegrees,
        locationUnconfirmed: where.unconfirmed,
        deviceLat: where.device?.lat ?? null,
        deviceLon: where.device?.lon ?? null,
        deviceAccuracyM: where.device?.accuracyM ?? null,
        streetId: place.streetId,
        districtId: place.districtId,
        cityId: place.cityId,
        outsideBoundary: place.outsideBoundary,
        commandingTier: tier,
        commandingJurisdictionId: tier === 'street' ? place.streetId : tier === 'district' ? place.districtId : place.cityId,
        exercise: call.exercise,
        drillId: call.drillId,
        revision: 1,
        receivedAt: call.receivedAt,
        dispatchedAt: null,
        resolvedAt: null,
        closedAt: null,
        disposition: null,
        lastError: null,
      }),
    );
    const other = nearby.find((n) => !sameEmergencyKind(n.incident.type, call.type));
    await m.update(Call, { id: call.id }, { incidentId: incident.id, suggestedIncidentId: other?.incident.id ?? null });
    const chain = this.index.chain(incident.streetId);
    await this.events.append(m, {
      type: 'incident.created',
      incidentId: incident.id,
      jurisdictionIds: chain,
      at: call.receivedAt,
      actor: 'intake',
      payload: await this.view(incident.id, m),
    });
    if (other) {
      await this.events.append(m, {
        type: 'call.suggested_link',
        incidentId: incident.id,
        jurisdictionIds: chain,
        at: call.receivedAt,
        actor: 'intake',
        payload: { callId: call.id, incidentId: incident.id, suggestedIncidentId: other.incident.id, metres: Math.round(other.metres), otherType: other.incident.type },
      });
    }
    return { incidentId: incident.id, revision: incident.revision, created: true, linked: false, priority: incident.priority };
  }

  /**
   * Unlinks a call a dispatcher judged to be a different emergency: it opens its own incident (the
   * duplicate check is not applied to it again) and the incident it left records `call.unlinked`.
   * @returns the intake result of the call's new incident (dispatch it at its revision)
   * @throws NotFound for an unknown call
   * @throws StateConflict (409) when the call is not linked to another call's incident
   */
  async unlink(callId: string, actor: string): Promise<IntakeResult> {
    await this.ds.transaction(async (m) => {
      const call = await m.findOne(Call, { where: { id: callId }, lock: { mode: 'pessimistic_write' } });
      if (!call) throw new NotFound('call', callId);
      if (!call.linked || !call.incidentId) throw new StateConflict(`call ${callId} is not linked to another incident`, { linked: call.linked });
      const from = await m.findOneByOrFail(Incident, { id: call.incidentId });
      await m.update(Call, { id: call.id }, { incidentId: null, linked: false, unlinkedAt: new Date() });
      await this.events.append(m, {
        type: 'call.unlinked',
        incidentId: from.id,
        jurisdictionIds: this.index.chain(from.streetId),
        at: this.clock.timeFor(from),
        actor,
        payload: { callId: call.id, incidentId: from.id },
      });
    });
    return this.intake(callId);
  }

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
      const status = incidentStatusFromAssignments(into.status, tasks.filter((a) => !a.releasedReason).map((a) => a.status));
      await m.update(Incident, { id: intoId }, {
        status,
        priority: Math.min(into.priority, dup.priority),
        dispatchedAt: into.dispatchedAt ?? (moved.length ? (dup.dispatchedAt ?? at) : null),
        revision: into.revision + 1,
      });
      const chains = [...new Set([...this.index.chain(dup.streetId), ...this.index.chain(into.streetId)])];
      // On both timelines: the duplicate says where it went, the survivor what it absorbed.
      const intoCallNumber = incidentCallNumber(await m.find(Call, { where: { incidentId: intoId }, order: { receivedAt: 'ASC' } }));
      const merged = { into: intoId, intoCallNumber, from: id, fromCallNumber: incidentCallNumber(calls), reason, calls: calls.map((c) => c.id), units: moved.map((a) => a.unitId) };
      for (const x of [id, intoId]) {
        await this.events.append(m, { type: 'incident.merged', incidentId: x, jurisdictionIds: chains, at, actor, payload: { incidentId: x, ...merged } });
      }
      for (const x of [id, intoId]) {
        const v = await this.view(x, m);
        await this.events.append(m, { type: 'incident.updated', incidentId: x, jurisdictionIds: this.index.chain(v.street?.id ?? null), at, actor, payload: v });
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
      if (to === 'received') Object.assign(patch, { closedAt: null, resolvedAt: null, dispatchedAt: null, lastError: REOPENED_HOLD, disposition: null, autoDispatch: false });
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
    const i = await m.findOneBy(Incident, { id });
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

  private async views(incidents: Incident[], m: EntityManager): Promise<IncidentView[]> {
    if (incidents.length === 0) return [];
    const ids = incidents.map((i) => i.id);
    const assignments = await m.find(Assignment, { where: { incidentId: In(ids) }, order: { dispatchedAt: 'ASC' } });
    const calls = await m.find(Call, { where: [{ incidentId: In(ids) }, { suggestedIncidentId: In(ids) }], order: { receivedAt: 'ASC' } });
    const escalations = await m.find(Escalation, { where: { incidentId: In(ids) }, order: { at: 'ASC', recordedAt: 'ASC' } });
    // The other side of a suggested link: incidents this one's calls may duplicate (rare: read only when there are some).
    const others = [...new Set(calls.filter((c) => c.incidentId && ids.includes(c.incidentId) && c.suggestedIncidentId).map((c) => c.suggestedIncidentId!))];
    const otherIncidents = others.length ? await m.find(Incident, { where: { id: In(others) } }) : [];
    const otherCalls = others.length ? await m.find(Call, { where: { incidentId: In(others) }, order: { receivedAt: 'ASC' } }) : [];
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

  /** Open incidents near a call, of any type, nearest first, within the duplicate window. */
  private async openIncidentsNear(m: EntityManager, call: Call): Promise<{ incident: Incident; metres: number }[]> {
    const { dLat, dLon } = degreesAround(this.window.radiusMetres, call.lat);
    const rows = await m
      .createQueryBuilder(Incident, 'i')
      .where('i.status NOT IN (:...closed)', { closed: CLOSED_INCIDENT_STATUSES })
      .andWhere('i.exercise = :ex', { ex: call.exercise })
      // The same as \`IS NOT DISTINCT FROM\`, written so a drill's call reads through the index \`incident_drill\`.
      .andWhere(call.drillId ? 'i.drill_id = :drill' : 'i.drill_id IS NULL', { drill: call.drillId ?? null })
      .andWhere('i.lat BETWEEN :lat0 AND :lat1', { lat0: call.lat - dLat, lat1: call.lat + dLat })
      .andWhere('i.lon BETWEEN :lon0 AND :lon1', { lon0: call.lon - dLon, lon1: call.lon + dLon })
      .andWhere('abs(extract(epoch from (i.received_at - :t::timestamptz))) <= :w', { t: call.receivedAt.toISOString(), w: this.window.windowSeconds })
      .getMany();
    return rows
      .map((incident) => ({ incident, metres: haversineMetres(call.lat, call.lon, incident.lat, incident.lon) }))
      .filter((r) => r.metres <= this.window.radiusMetres)
      .sort((a, b) => a.metres - b.metres || (a.incident.receivedAt < b.incident.receivedAt ? -1 : 1));
  }

  private async link(m: EntityManager, call: Call, incident: Incident, metres: number): Promise<IntakeResult> {
    await m.update(Call, { id: call.id }, { incidentId: incident.id, linked: true });
    await this.events.append(m, {
      type: 'call.linked',
      incidentId: incident.id,
      jurisdictionIds: this.index.chain(incident.streetId),
      at: call.receivedAt,
      actor: 'intake',
      payload: { callId: call.id, callNumber: call.callNumber, incidentId: incident.id, metres: Math.round(metres), type: call.type, receivedAt: call.receivedAt.toISOString() },
    });
    return { incidentId: incident.id, revision: incident.revision, created: false, linked: true, priority: incident.priority };
  }
}
