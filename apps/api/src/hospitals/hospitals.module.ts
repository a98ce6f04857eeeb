import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { HospitalsController } from './hospitals.controller';
import { HospitalsService } from './hospitals.service';

/** Hospitals of the city profile and the choice on transport (issue 26); imports events, routing and auth. Exports nothing. */
@Module({
  imports: [EventsModule, RoutingModule, AuthModule],
  controllers: [HospitalsController],
  providers: [HospitalsService],
})
export class HospitalsModule {}
