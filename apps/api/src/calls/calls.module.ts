import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { QueuesModule } from '../queues/queues.module';
import { AuthModule } from '../auth/auth.module';
import { RoutingModule } from '../routing/routing.module';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';

/**
 * Calls for service: `POST /api/calls` (stored, then queued for intake) and the call list. Imports
 * intake, incidents, queues, auth and routing. Exports `CallsService` (alerts, lifelines and residents'
 * reports open calls through it).
 */
@Module({
  imports: [IntakeModule, IncidentsModule, QueuesModule, AuthModule, RoutingModule],
  controllers: [CallsController],
  providers: [CallsService],
  exports: [CallsService],
})
export class CallsModule {}
