import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { EventsModule } from '../events/events.module';
import { ClockModule } from '../platform/clock/clock.module';
import { AuthModule } from '../auth/auth.module';
import { QueuesModule } from '../queues/queues.module';
import { ClosuresController } from './closures.controller';
import { ClosuresService } from './closures.service';
import { ClosureJurisdiction } from './closure-jurisdiction';

/**
 * Road closures and the road network of each world (live, each drill) with its closures applied.
 * Imports routing, events, the clock, auth and queues (a reopened road dispatches waiting incidents
 * again). Exports `ClosuresService` (`networkFor(world)`: what dispatch, incidents and drills route on).
 */
@Module({
  imports: [RoutingModule, EventsModule, ClockModule, AuthModule, QueuesModule],
  controllers: [ClosuresController],
  providers: [ClosuresService, ClosureJurisdiction],
  exports: [ClosuresService],
})
export class ClosuresModule {}
