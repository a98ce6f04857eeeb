import { Module } from '@nestjs/common';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { ClockModule } from '../platform/clock/clock.module';
import { QueuesModule } from '../queues/queues.module';
import { LocationCheckService } from './location-check.service';
import { IncidentIntakeService } from './incident-intake.service';
import { IntakeProcessor } from './intake.processor';

/**
 * Intake: a stored call placed (a new incident, or linked to an open one), in batches, with its
 * address checked against its point; the intake queue's processor. Imports jurisdictions (geocoder),
 * incidents, events, routing, the clock and queues. Exports `IncidentIntakeService` (the calls
 * controller places a call at once when asked to).
 */
@Module({
  imports: [JurisdictionsModule, IncidentsModule, EventsModule, RoutingModule, ClockModule, QueuesModule],
  providers: [LocationCheckService, IncidentIntakeService, IntakeProcessor],
  exports: [IncidentIntakeService],
})
export class IntakeModule {}
