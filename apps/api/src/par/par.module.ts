import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { ParController } from './par.controller';
import { ParService } from './par.service';

/** On-scene welfare (PAR) timers (issue 26); imports events, routing and auth. Exports nothing. */
@Module({
  imports: [EventsModule, RoutingModule, AuthModule],
  controllers: [ParController],
  providers: [ParService],
})
export class ParModule {}
