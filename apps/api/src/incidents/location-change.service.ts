import { ACTIVE_ASSIGNMENT_STATUSES, isOpenIncident, JurisdictionIndex } from '@cad/domain';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Assignment, Incident, LocationAlertRow, Unit } from '@cad/db';
import { InvalidInput, NotFound, OutsideJurisdiction, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClosuresService } from '../closures/closures.service';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { assignmentView } from './incident.view';
import { IncidentsService } from './incidents.service';
import { TravelModelService } from '../routing/travel-model.service';
import type { LocationAlertView } from '@cad/contracts';
export type { LocationAlertView } from '@cad/contracts';

/** A moved point without a typed address is named after the nearest named road within this many metres. */
const NAME_WITHIN_METRES = 300;

function alertView(r: LocationAlertRow): LocationAlertView {
  return {
    id: r.id,
    incidentId: r.incidentId,
    assignmentId: r.assignmentId,
    unitId: r.unitId,
    old: { lat: r.oldLat, lon: r.oldLon, address: r.oldAddress },
    new: { lat: r.newLat, lon: r.newLon, address: r.newAddress },
    reason: r.reason,
    changedBy: r.changedBy,
    createdAt: r.createdAt.toISOString(),
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
  };
}

/**
 * Moving an incident after dispatch: it is placed again in the command chain (street, district,
 * city; its commanding tier kept), every active task not yet on scene is re-routed from its unit's
 * position (`assignment.rerouted`), every crew with an active task gets a LOCATION CHANGED alert with
 * the old and the new address (`assignment.location_alert`, to its phone) which it acknowledges; an
 * alert left unacknowledged for `LOCATION_ACK_S` alerts the dispatcher
 * (`assignment.location_unacknowledged`). The move itself is `incident.location_changed`, with old,
 * new, reason and who. It also resolves a `location_unconfirmed` flag.
 */
@Injectable()
export class LocationChangeService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('LocationChange');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly closures: ClosuresService,
    private readonly clock: ClockService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly travel: TravelModelService,
  ) {}

  onModuleInit(): void {
    if (!this.config.RUN_WORKERS) return;
    // Every process running workers looks for overdue alerts; the UPDATE ... WHERE overdue_at IS NULL makes one of them report each.
    this.timer = setInterval(() => void this.alertOverdue().catch((e: Error) => this.log.warn(`overdue location alerts not checked: ${e.message}`)), this.config.RECONCILE_INTERVAL_S * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Moves an open incident to a new point and address.
   * @param to WGS84 degrees, the new address, and why. Without an address a moved point is named
   *   after the nearest named road (`near Pine Street`), never left with the old address.
   * @returns the incident's view and the alerts sent (one per active task)
   * @throws NotFound for an unknown incident
   * @throws StateConflict (409) when the incident is closed, cancelled or merged
   * @throws OutsideJurisdiction (422) when the point is more than `MAX_OUTSIDE_METRES` outside every street
   * @throws InvalidInput (400) when the point and address are those the incident already has
   */
  async move(incidentId: string, to: { lat: number; lon: number; address?: string; reason: string }, actor: string) {
    const place = this.index.locate(to.lat, to.lon);
    if (place.outsideBoundary && place.distanceMetres > this.config.MAX_OUTSIDE_METRES) {
      throw new OutsideJurisdiction(`lat/lon (${to.lat}, ${to.lon}) is ${Math.round(place.distanceMetres)} m outside every jurisdiction (limit ${this.config.MAX_OUTSIDE_METRES} m)`);
    }
    return this.ds.transaction(async (m) => {
      const i = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!i) throw new NotFound('incident', incidentId);
      if (!isOpenIncident(i.status)) throw new StateConflict(`incident is ${i.status}: its location cannot change`, i.status);
      const samePoint = i.lat === to.lat && i.lon === to.lon;
      if (samePoint && (to.address === undefined || to.address === i.address)) throw new InvalidInput('lat/lon and address are the incident\'s own: nothing to change');
      // A moved point never keeps the old address: without a typed one it is named from the road network.
      const address = to.address ?? (samePoint ? i.address : await this.nameOf(i.drillId, to.lat, to.lon));
      const old = { lat: i.lat, lon: i.lon, address: i.address };
      const oldChain = this.index.chain(i.streetId);
      const tier = i.commandingTier;
      await m.update(Incident, { id: i.id }, {
        lat: to.lat,
        lon: to.lon,
        address,
        streetId: place.streetId,
        districtId: place.districtId,
        cityId: place.cityId,
        outsideBoundary: place.outsideBoundary,
        commandingJurisdictionId: tier === 'street' ? place.streetId : tier === 'district' ? place.districtId : place.cityId,
        locationUnconfirmed: false,
        revision: i.revision + 1,
      });
      const when = this.clock.timeFor(i);
      // Consoles of the old and the new place both hear of the move.
      const chain = [...new Set([...oldChain, ...this.index.chain(place.streetId)])];
      const alerts = await this.rerouteAndAlert(m, { ...i, lat: to.lat, lon: to.lon }, old, { lat: to.lat, lon: to.lon, address }, to.reason, actor, chain, when);
      await this.events.append(m, {
        type: 'incident.location_changed',
        incidentId: i.id,
        jurisdictionIds: chain,
        at: when,
        actor,
        payload: { incidentId: i.id, old, new: { lat: to.lat, lon: to.lon, address }, reason: to.reason, changedBy: actor, alerted: alerts.map((a) => a.unitId) },
      });
      const view = await this.incidents.view(i.id, m);
      await this.events.append(m, { type: 'incident.updated', incidentId: i.id, jurisdictionIds: chain, at: when, actor, payload: view });
      return { incident: view, alerts };
    });
  }

  /**
   * A name for a point that has no typed address: `near <street>` for the nearest named road within
   * `NAME_WITHIN_METRES` (a surface street within a block preferred over a tunnel above or below it),
   * else its coordinates (`lat, lon`, 5 decimals, about 1 m).
   */
  private async nameOf(drillId: string | null, lat: number, lon: number): Promise<string> {
    const network = await this.closures.networkFor(drillId);
    const road = network.nearestNamedRoad(lat, lon, NAME_WITHIN_METRES);
    return road ? `near ${road.name}` : `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  }

  private async rerouteAndAlert(
    m: EntityManager,
    incident: Incident,
    old: { lat: number; lon: number; address: string | null },
    now: { lat: number; lon: number; address: string | null },
    reason: string,
    actor: string,
    chain: string[],
    when: Date,
  ): Promise<LocationAlertView[]> {
    const network = await this.closures.networkFor(incident.drillId);
    const target = network.snap(now.lat, now.lon).node;
    const active = await m.find(Assignment, { where: { incidentId: incident.id, status: In([...ACTIVE_ASSIGNMENT_STATUSES]) } });
    const alerts: LocationAlertView[] = [];
    for (const a of active) {
      const unit = await m.findOneByOrFail(Unit, { world: a.world, id: a.unitId });
      // A crew on scene walks or drives over itself; one still coming gets a new route.
      if (['dispatched', 'acknowledged', 'en_route'].includes(a.status)) {
        const route = network.route(network.snap(unit.lat, unit.lon).node, target);
        const eta = this.travel.rerouted(a.status, route ? route.seconds : null, incident.priority === 1, unit);
        await m.update(Assignment, { id: a.id }, { route: route?.geometry ?? null, routeMetres: route?.metres ?? 0, ...eta });
        await this.events.append(m, {
          type: 'assignment.rerouted',
          incidentId: incident.id,
          unitId: a.unitId,
          jurisdictionIds: chain,
          at: when,
          actor,
          payload: { incidentId: incident.id, assignment: assignmentView(await m.findOneByOrFail(Assignment, { id: a.id })), unreachable: !route, reason: 'incident location changed' },
        });
      }
      const row = await m.save(
        m.create(LocationAlertRow, {
          incidentId: incident.id,
          assignmentId: a.id,
          unitId: a.unitId,
          oldAddress: old.address,
          newAddress: now.address,
          oldLat: old.lat,
          oldLon: old.lon,
          newLat: now.lat,
          newLon: now.lon,
          reason,
          changedBy: actor,
          acknowledgedAt: null,
          overdueAt: null,
        }),
      );
      const view = alertView(row);
      await this.events.append(m, { type: 'assignment.location_alert', incidentId: incident.id, unitId: a.unitId, jurisdictionIds: chain, at: when, actor, payload: view });
      alerts.push(view);
    }
    return alerts;
  }

  /**
   * Clears an incident's `location_unconfirmed` flag, keeping its location (the dispatcher confirmed
   * the typed address with the caller).
   * @throws NotFound for an unknown incident
   */
  async confirm(incidentId: string, actor: string) {
    return this.ds.transaction(async (m) => {
      const i = await m.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!i) throw new NotFound('incident', incidentId);
      await m.update(Incident, { id: i.id }, { locationUnconfirmed: false });
      const view = await this.incidents.view(i.id, m);
      await this.events.append(m, { type: 'incident.updated', incidentId: i.id, jurisdictionIds: this.index.chain(i.streetId), at: this.clock.timeFor(i), actor, payload: view });
      return view;
    });
  }

  /** A unit's LOCATION CHANGED alerts not yet acknowledged, oldest first. */
  async openAlerts(unitId: string): Promise<LocationAlertView[]> {
    const rows = await this.ds.getRepository(LocationAlertRow).find({ where: { unitId, acknowledgedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map(alertView);
  }

  /** The unit an alert was sent to (for the access check), or NotFound. */
  async unitOf(alertId: string): Promise<string> {
    const r = await this.ds.getRepository(LocationAlertRow).findOneBy({ id: alertId });
    if (!r) throw new NotFound('location alert', alertId);
    return r.unitId;
  }

  /**
   * The crew acknowledges a LOCATION CHANGED alert (`assignment.location_acknowledged`). Acknowledging
   * twice changes nothing and answers the first acknowledgement.
   * @throws NotFound for an unknown alert
   */
  async acknowledge(alertId: string, actor: string): Promise<LocationAlertView> {
    return this.ds.transaction(async (m) => {
      const r = await m.findOne(LocationAlertRow, { where: { id: alertId }, lock: { mode: 'pessimistic_write' } });
      if (!r) throw new NotFound('location alert', alertId);
      if (r.acknowledgedAt) return alertView(r);
      r.acknowledgedAt = new Date();
      await m.save(r);
      const i = await m.findOneByOrFail(Incident, { id: r.incidentId });
      await this.events.append(m, {
        type: 'assignment.location_acknowledged',
        incidentId: r.incidentId,
        unitId: r.unitId,
        jurisdictionIds: this.index.chain(i.streetId),
        at: r.acknowledgedAt,
        actor,
        payload: alertView(r),
      });
      return alertView(r);
    });
  }

  /**
   * Alerts the dispatcher of every LOCATION CHANGED alert left unacknowledged past `LOCATION_ACK_S`
   * (`assignment.location_unacknowledged`, once per alert).
   * @returns the alerts reported now
   */
  async alertOverdue(now = new Date()): Promise<LocationAlertView[]> {
    return this.ds.transaction(async (m) => {
      // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
      const [rows]: [{ id: string }[], number] = await m.query(
        `UPDATE location_alert SET overdue_at = $1 WHERE acknowledged_at IS NULL AND overdue_at IS NULL AND created_at < $2 RETURNING id`,
        [now, new Date(now.getTime() - this.config.LOCATION_ACK_S * 1000)],
      );
      if (!rows.length) return [];
      const alerts = await m.findBy(LocationAlertRow, { id: In(rows.map((r) => r.id)) });
      const out: LocationAlertView[] = [];
      for (const r of alerts) {
        const i = await m.findOneByOrFail(Incident, { id: r.incidentId });
        const v = alertView(r);
        await this.events.append(m, {
          type: 'assignment.location_unacknowledged',
          incidentId: r.incidentId,
          unitId: r.unitId,
          jurisdictionIds: this.index.chain(i.streetId),
          at: now,
          actor: 'timer:location-ack',
          payload: { ...v, message: `unit ${r.unitId} has not acknowledged the new location (${r.newAddress ?? `${r.newLat}, ${r.newLon}`}): reach the crew by radio` },
        });
        out.push(v);
      }
      return out;
    });
  }
}
