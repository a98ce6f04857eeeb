import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { DemoCrewsService } from './demo-crews.service';

/**
 * Demo crews: simulated crews for a demo record's live tasks that no phone answers (`DEMO_CREWS`). Imports
 * incidents (crews' status reports go through `AssignmentsService`). Exports `DemoCrewsService` (tests tick it).
 */
@Module({
  imports: [IncidentsModule],
  providers: [DemoCrewsService],
  exports: [DemoCrewsService],
})
export class DemoCrewsModule {}
