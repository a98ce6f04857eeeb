import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { EventsModule } from '../events/events.module';
import { ClockModule } from '../platform/clock/clock.module';
import { ClosuresModule } from '../closures/closures.module';
import { QueuesModule } from '../queues/queues.module';
import { OutagesModule } from '../outages/outages.module';
import { AuthModule } from '../auth/auth.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { IncidentsController } from './incidents.controller';
import { AssignmentsController } from './assignments.controller';
import { IncidentHistoryController } from './history/history.controller';
import { LocationController } from './location.controller';
import { IncidentsService } from './incidents.service';
import { AssignmentsService } from './assignments.service';
import { IncidentHistoryService } from './history/history.service';
import { LocationChangeService } from './location-change.service';
import { LocationAlertsService } from './location-alerts.service';
import { LocationReroute } from './location-reroute';

/**
 * Incidents: the read model (`IncidentsService.view`), their lifecycle (close, cancel, reopen, merge),
 * their history, a change of location after dispatch, and crews' status reports on their tasks
 * (`AssignmentsService`). Imports routing, events, the clock, closures (routes to a moved incident),
 * queues, outages (reports during an outage), auth and the assignments room (device clocks).
 * Exports `IncidentsService` and `AssignmentsService` (the drill's simulated crews report through it).
 */
@Module({
  imports: [RoutingModule, EventsModule, ClockModule, ClosuresModule, QueuesModule, OutagesModule, AuthModule, AssignmentsModule],
  controllers: [IncidentsController, AssignmentsController, IncidentHistoryController, LocationController],
  providers: [IncidentsService, AssignmentsService, IncidentHistoryService, LocationChangeService, LocationReroute, LocationAlertsService],
  exports: [IncidentsService, AssignmentsService],
})
export class IncidentsModule {}
