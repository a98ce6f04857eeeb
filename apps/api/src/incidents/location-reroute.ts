import { ACTIVE_ASSIGNMENT_STATUSES } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Assignment, Incident, Unit } from '@cad/db';
import { ClosuresService } from '../closures/closures.service';
import { EventsService } from '../events/events.service';
import { TravelModelService } from '../routing/travel-model.service';
import { assignmentView } from './incident.view';
import { AlertPlace, LocationAlertsService, LocationAlertView } from './location-alerts.service';

/**
 * The crews of a moved incident: every active task not yet on scene is re-routed from its unit's
 * position on its world's road network, closures applied (`assignment.rerouted`, ETA from the travel
 * model), and every active task's crew is sent a LOCATION CHANGED alert.
 */
@Injectable()
export class LocationReroute {
  constructor(
    private readonly closures: ClosuresService,
    private readonly travel: TravelModelService,
    private readonly events: EventsService,
    private readonly alerts: LocationAlertsService,
  ) {}

  /**
   * Re-routes and alerts the crews of `incident` (already at its new point `now`), inside the caller's transaction.
   * @param chain the jurisdictions the events concern (the old place's and the new one's)
   * @returns the alerts sent, one per active task
   */
  async rerouteAndAlert(
    m: EntityManager,
    incident: Incident,
    old: AlertPlace,
    now: AlertPlace,
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
      alerts.push(await this.alerts.send(m, incident.id, a, { old, now, reason, actor, chain, when }));
    }
    return alerts;
  }
}
