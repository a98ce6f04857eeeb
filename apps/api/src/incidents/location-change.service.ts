import { isOpenIncident, JurisdictionIndex } from '@cad/domain';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident } from '@cad/db';
import { InvalidInput, NotFound, OutsideJurisdiction, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { ClockService } from '../platform/clock/clock.service';
import { EventsService } from '../events/events.service';
import { IncidentsService } from './incidents.service';
import { LocationReroute } from './location-reroute';
import { RoadNetwork } from '@cad/routing';
export type { LocationAlertView } from './location-alerts.service';

/** A moved point without a typed address is named after the nearest named road within this many metres. */
const NAME_WITHIN_METRES = 300;

/**
 * Moving an incident after dispatch: it is placed again in the command chain (street, district,
 * city; its commanding tier kept), and its crews are re-routed and alerted ({@link LocationReroute};
 * the alerts' life is `LocationAlertsService`'s). The move itself is `incident.location_changed`, with
 * old, new, reason and who. It also resolves a `location_unconfirmed` flag.
 */
@Injectable()
export class LocationChangeService {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly clock: ClockService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly crews: LocationReroute,
    private readonly network: RoadNetwork,
  ) {}

  /**
   * A name for a point that has no typed address: `near <street>` for the nearest named road within
   * `NAME_WITHIN_METRES` (a surface street within a block preferred over a tunnel above or below it;
   * road names are the same in every drill's copy of the network), else its coordinates (`lat, lon`,
   * 5 decimals, about 1 m).
   */
  private nameOf(lat: number, lon: number): string {
    const road = this.network.nearestNamedRoad(lat, lon, NAME_WITHIN_METRES);
    return road ? `near ${road.name}` : `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
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
      const address = to.address ?? (samePoint ? i.address : this.nameOf(to.lat, to.lon));
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
      const alerts = await this.crews.rerouteAndAlert(m, { ...i, lat: to.lat, lon: to.lon }, old, { lat: to.lat, lon: to.lon, address }, to.reason, actor, chain, when);
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
}
