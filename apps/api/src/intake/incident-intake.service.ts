import { CLOSED_INCIDENT_STATUSES, degreesAround, heldReason, DuplicateWindow, JurisdictionIndex, ResponsePlan, sameEmergencyKind } from '@cad/domain';
import { haversineMetres, sameRoadway } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Call, Incident, jsonbParam, readEntities, savedFrom } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { CheckedLocation, LocationCheckService } from './location-check.service';
import { faultPoint } from '../platform/fault-points';
import { IncidentsService } from '../incidents/incidents.service';
import { lockCallsForIntake, placeEachAloneOnFailure } from './intake-batch';
import { raisePriority } from '../incidents/priority-change';
import { storedPlanFor } from '../plans/response-plans.service';

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
  /** True when a linked call was more urgent and raised the incident's priority (dispatch it again at `revision`). */
  priorityRaised?: boolean;
}

/** What the calls of one intake batch share while it places them (see `IncidentIntakeService.intakeBatch`). */
interface IntakeBatchContext {
  /** The call's location as already checked for its locks. */
  checked?: CheckedLocation;
  /** Its plan, read once per type and priority in the batch. */
  planOf: (c: Call) => Promise<ResponsePlan>;
  /** Open incidents around the batch's calls, and those it opened so far. */
  pool: Incident[];
}

/**
 * Turns stored calls into incidents placed in the command chain (street, district, city), links
 * duplicate calls to the incident they report, and unlinks a call a dispatcher judged to be another
 * emergency.
 */
@Injectable()
export class IncidentIntakeService {
  private readonly window: DuplicateWindow;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: ClockService,
    private readonly locations: LocationCheckService,
    private readonly incidents: IncidentsService,
  ) {
    this.window = { radiusMetres: config.DUPLICATE_RADIUS_M, windowSeconds: config.DUPLICATE_WINDOW_S };
  }

  /**
   * Intake of one stored call, in one transaction with its events:
   * - a call about the same kind of emergency (same call family) on the same roadway (see
   *   `sameRoadway`: a call naming a tunnel or motorway is never a duplicate of a surface call) within the duplicate window
   *   (`DUPLICATE_RADIUS_M`, `DUPLICATE_WINDOW_S`) of an open incident is linked to the nearest such
   *   incident (`call.linked`), and nothing is dispatched again unless the call is more urgent: then
   *   the incident takes its priority (`incident.priority_changed`) and is dispatched again. Nearby calls are serialised by
   *   advisory locks on the grid cells around them, so concurrent reports of one emergency make one
   *   incident;
   * - otherwise it opens an incident placed in its street, district and city (outside every polygon:
   *   nearest street, flagged), commanded at the street tier unless its plan says otherwise; an open
   *   incident of another kind or on another roadway nearby is recorded as a suggested link, never
   *   linked automatically.
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
        // Each call's typed address is placed once: for the cells its duplicate check locks, then for its placing.
        const checked = new Map<string, CheckedLocation>();
        const pointsOf = (c: Call) => {
          const where = this.locations.check(c);
          checked.set(c.id, where);
          return this.searchPoints(c, where);
        };
        const calls = await lockCallsForIntake(m, ids, this.window.radiusMetres, pointsOf);
        // The batch's events go out in one INSERT, and each plan is read once per batch (issue 19's profile).
        const plans = new Map<string, Promise<ResponsePlan>>();
        const planOf = (c: Call) => {
          const key = `${c.type}\u0000${c.priority}`;
          if (!plans.has(key)) plans.set(key, storedPlanFor(m, c.type, c.priority));
          return plans.get(key)!;
        };
        // One read of the open incidents around the whole batch; incidents the batch opens join it as it goes.
        const unplaced = calls.filter((c) => !c.incidentId && !c.unlinkedAt).map((c) => ({ call: c, points: this.searchPoints(c, checked.get(c.id)) }));
        const pool = await this.openIncidentsAround(m, unplaced);
        // The open incidents a call of the batch may raise (it is more urgent than one near it) are locked now,
        // in id order, as every writer of several incidents locks them (a dispatch round's held decisions):
        // locked one by one as their calls came, in call order, they could deadlock with such a writer.
        const raisable = [
          ...new Set(unplaced.flatMap(({ call, points }) => this.openIncidentsNear(call, points, pool).filter((n) => n.incident.priority > call.priority)).map((n) => n.incident.id)),
        ];
        if (raisable.length) await m.query(`SELECT id FROM incident WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [raisable]);
        await this.events.batched(m, async () => {
          for (const call of calls) placed.set(call.id, await this.place(m, call, { checked: checked.get(call.id), planOf, pool }));
        });
        faultPoint('intake.batch-placed');
        return ids.map((id) => placed.get(id) ?? new NotFound('call', id));
      }),
    );
  }

  /** Places one locked call (its duplicate cells locked too): see {@link intake}. `checked`: its location as already checked for the locks. */
  private async place(m: EntityManager, call: Call, batch: IntakeBatchContext): Promise<IntakeResult> {
    const { checked, planOf, pool } = batch;
    if (call.incidentId) {
      const existing = await m.findOneByOrFail(Incident, { id: call.incidentId });
      return { incidentId: existing.id, revision: existing.revision, created: false, linked: call.linked, priority: existing.priority };
    }
    // The typed address against the device location: a mismatch is flagged, never held (see LocationCheckService).
    const where = checked ?? this.locations.check(call);
    const nearby = call.unlinkedAt ? [] : this.openIncidentsNear(call, this.searchPoints(call, where), pool);
    // A duplicate reports the same kind of emergency on the same roadway (a tunnel is not the street above it).
    // A roadway no road of that name answers near the point counts as none (see LocationCheckService.effectiveRoadway).
    const callRoadway = this.locations.effectiveRoadway({ lat: where.lat, lon: where.lon, roadway: call.roadway });
    const linkable = (n: { incident: Incident }) =>
      sameEmergencyKind(n.incident.type, call.type) && sameRoadway(this.locations.effectiveRoadway(n.incident), callRoadway);
    const same = nearby.find(linkable);
    if (same) return this.link(m, call, same.incident, same.metres);

    const place = this.index.locate(where.lat, where.lon);
    // The plan of its type and priority (issue 20) says which tier commands it (the fallback plan: the street).
    const tier = (await planOf(call)).commandingTier;
    const incident = await insertIncident(
      m,
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
        firstAlarm: call.firstAlarm ?? null,
        revision: 1,
        receivedAt: call.receivedAt,
        dispatchedAt: null,
        resolvedAt: null,
        closedAt: null,
        disposition: null,
        ...heldReason(null),
      }),
    );
    pool.push(incident);
    // No nearby incident was linkable (else the call was linked above): the nearest is the one to suggest.
    const other = nearby[0];
    // Plain SQL, the statement `m.update` sent (issue 19's profile: TypeORM's update builder on intake's hot path).
    await m.query(`UPDATE call SET incident_id = $1, suggested_incident_id = $2 WHERE id = $3`, [incident.id, other?.incident.id ?? null, call.id]);
    call.incidentId = incident.id;
    call.suggestedIncidentId = other?.incident.id ?? null;
    const chain = this.index.chain(incident.streetId);
    await this.events.append(m, {
      type: 'incident.created',
      incidentId: incident.id,
      jurisdictionIds: chain,
      at: call.receivedAt,
      actor: 'intake',
      // Just created: no task, no escalation, this call its only one.
      payload: await this.incidents.viewOfOpened(incident, call, m),
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
   * Where a call's duplicate check looks (WGS84 degrees): the call's own point and, when its typed
   * address places it elsewhere (a caller's phone far from the address they give, see
   * LocationCheckService), that point too: the incident of an earlier such call stands at the address.
   */
  private searchPoints(call: Call, where: CheckedLocation = this.locations.check(call)): { lat: number; lon: number }[] {
    return where.unconfirmed ? [{ lat: call.lat, lon: call.lon }, { lat: where.lat, lon: where.lon }] : [{ lat: call.lat, lon: call.lon }];
  }

  /**
   * The open incidents that may be near any of a batch's calls (one query for the whole batch, issue
   * 19's profile): of each call's world, within the duplicate window of its time, with their point or
   * their caller's device point in the box around one of its search points. A superset:
   * {@link openIncidentsNear} applies the exact rule.
   * @param reqs each call with its search points (WGS84 degrees, {@link searchPoints})
   */
  private async openIncidentsAround(m: EntityManager, reqs: { call: Call; points: { lat: number; lon: number }[] }[]): Promise<Incident[]> {
    if (!reqs.length) return [];
    // Plain SQL with positional parameters (issue 19's profile: TypeORM's query building cost more than the query).
    const params: unknown[] = [[...CLOSED_INCIDENT_STATUSES], this.window.windowSeconds];
    const param = (v: unknown) => `$${params.push(v)}`;
    const clauses = reqs.map(({ call, points }) => {
      const boxes: string[] = [];
      for (const p of points) {
        const { dLat, dLon } = degreesAround(this.window.radiusMetres, p.lat);
        const [lat0, lat1, lon0, lon1] = [param(p.lat - dLat), param(p.lat + dLat), param(p.lon - dLon), param(p.lon + dLon)];
        boxes.push(`(i.lat BETWEEN ${lat0} AND ${lat1} AND i.lon BETWEEN ${lon0} AND ${lon1})`);
        boxes.push(`(i.device_lat BETWEEN ${lat0} AND ${lat1} AND i.device_lon BETWEEN ${lon0} AND ${lon1})`);
      }
      // `i.drill_id = $n` rather than `IS NOT DISTINCT FROM`, so a drill's call reads through the index `incident_drill`.
      const world = call.drillId ? `i.drill_id = ${param(call.drillId)}` : 'i.drill_id IS NULL';
      return `(i.exercise = ${param(call.exercise)} AND ${world} AND abs(extract(epoch from (i.received_at - ${param(call.receivedAt.toISOString())}::timestamptz))) <= $2 AND (${boxes.join(' OR ')}))`;
    });
    return readEntities(m, Incident, `i WHERE i.status <> ALL($1) AND (${clauses.join(' OR ')})`, params);
  }

  /**
   * Open incidents near a call, of any type, nearest first, within the duplicate window: an incident is
   * near when its point, or the caller's device point it keeps when its address placed it elsewhere, lies
   * within the duplicate radius of one of the call's `points` ({@link searchPoints}).
   * @param pool the open incidents read around the call's batch ({@link openIncidentsAround}) and those the batch opened
   */
  private openIncidentsNear(call: Call, points: { lat: number; lon: number }[], pool: readonly Incident[]): { incident: Incident; metres: number }[] {
    const t = call.receivedAt.getTime();
    const metresTo = (incident: Incident) => {
      const theirs = [{ lat: incident.lat, lon: incident.lon }];
      if (incident.deviceLat !== null && incident.deviceLon !== null) theirs.push({ lat: incident.deviceLat, lon: incident.deviceLon });
      let best = Infinity;
      for (const p of points) for (const q of theirs) best = Math.min(best, haversineMetres(p.lat, p.lon, q.lat, q.lon));
      return best;
    };
    return pool
      .filter(
        (i) =>
          !CLOSED_INCIDENT_STATUSES.includes(i.status) &&
          i.exercise === call.exercise &&
          (i.drillId ?? null) === (call.drillId ?? null) &&
          Math.abs(i.receivedAt.getTime() - t) <= this.window.windowSeconds * 1000,
      )
      .map((incident) => ({ incident, metres: metresTo(incident) }))
      .filter((r) => r.metres <= this.window.radiusMetres)
      .sort((a, b) => a.metres - b.metres || (a.incident.receivedAt < b.incident.receivedAt ? -1 : 1));
  }

  /**
   * Links a call to the open incident it reports (`call.linked`). A more urgent call raises the
   * incident's priority as a merge does (`incident.priority_changed`, a new revision, `incident.updated`)
   * and the result asks for a dispatch at that revision (`priorityRaised`).
   *
   * The incident row is locked (`FOR UPDATE`) only when the call looks more urgent than the row read
   * by the duplicate check, the one case where the row changes; the raise is then decided again on
   * the locked row, so two more urgent calls racing raise it once (the second finds it as urgent).
   * A call no more urgent than the incident (most calls of a surge about one event) links with no
   * row lock: linking writes only the call row and the event log. Its result carries the revision
   * and priority the duplicate check read, which it dispatches nothing at.
   */
  private async link(m: EntityManager, call: Call, incident: Incident, metres: number): Promise<IntakeResult> {
    await m.update(Call, { id: call.id }, { incidentId: incident.id, linked: true });
    const chain = this.index.chain(incident.streetId);
    await this.events.append(m, {
      type: 'call.linked',
      incidentId: incident.id,
      jurisdictionIds: chain,
      at: call.receivedAt,
      actor: 'intake',
      payload: { callId: call.id, callNumber: call.callNumber, incidentId: incident.id, metres: Math.round(metres), type: call.type, receivedAt: call.receivedAt.toISOString() },
    });
    const unchanged = { incidentId: incident.id, revision: incident.revision, created: false, linked: true, priority: incident.priority };
    // Priorities only ever rise (a lower number): a call no more urgent than the row as read cannot raise it now.
    if (call.priority >= incident.priority) return unchanged;
    const locked = await m.findOne(Incident, { where: { id: incident.id }, lock: { mode: 'pessimistic_write' } });
    if (!locked) return unchanged;
    const raised = await raisePriority(m, this.events, locked, { to: call.priority, reason: 'call_linked', callId: call.id, callNumber: call.callNumber, at: call.receivedAt, actor: 'intake', jurisdictionIds: chain });
    if (raised === null) return { ...unchanged, revision: locked.revision, priority: locked.priority };
    await this.events.append(m, { type: 'incident.updated', incidentId: incident.id, jurisdictionIds: chain, at: call.receivedAt, actor: 'intake', payload: await this.incidents.view(incident.id, m) });
    return { incidentId: incident.id, revision: raised, created: false, linked: true, priority: locked.priority, priorityRaised: true };
  }
}

/**
 * Inserts a new incident (`m.create`d, id and defaults unset) and finishes it as `m.save` did: the same
 * row (id, `auto_dispatch`, `merged_into_id`, `decided_revision`, `created_at`, `updated_at` from the
 * table's defaults), then the entity's unset nullable columns null and its returned columns set (see
 * `savedFrom`). Plain SQL rather than `save` (issue 19's profile of the drill: the persistence executor and
 * the INSERT builder were the intake's most expensive writer per call).
 * @returns the same entity, as saved
 */
async function insertIncident(m: EntityManager, i: Incident): Promise<Incident> {
  const [row] = await m.query(INSERT_INCIDENT, [
    i.type, i.priority, i.status, i.lat, i.lon, i.address, i.roadway, i.headingDegrees, i.streetId, i.districtId, i.cityId, i.outsideBoundary,
    i.commandingTier, i.commandingJurisdictionId, i.closedAt, i.disposition, i.locationUnconfirmed, i.deviceLat, i.deviceLon, i.deviceAccuracyM,
    i.exercise, i.drillId, jsonbParam(i.firstAlarm), i.revision, i.receivedAt, i.dispatchedAt, i.resolvedAt, i.lastError, i.lastErrorCode, jsonbParam(i.lastErrorParams),
  ]);
  return savedFrom(m, Incident, i, row);
}


/** SQL: the INSERT `save` sent for a new incident (the columns it left to their defaults omitted), returning what it returned. */
const INSERT_INCIDENT = `INSERT INTO incident (type, priority, status, lat, lon, address, roadway, heading_degrees, street_id, district_id, city_id, outside_boundary,
    commanding_tier, commanding_jurisdiction_id, closed_at, disposition, location_unconfirmed, device_lat, device_lon, device_accuracy_m,
    exercise, drill_id, first_alarm, revision, received_at, dispatched_at, resolved_at, last_error, last_error_code, last_error_params)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
  RETURNING id, auto_dispatch, location_unconfirmed, created_at, updated_at`;
