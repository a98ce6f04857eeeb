import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { AuthModule } from '../auth/auth.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

/** Units: the fleet, a unit's status and position reports, a phone's current task. Exports nothing. */
@Module({
  imports: [EventsModule, RoutingModule, IncidentsModule, AuthModule, AssignmentsModule],
  controllers: [UnitsController],
  providers: [UnitsService],
})
export class UnitsModule {}
