import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CallsModule } from '../calls/calls.module';
import { ClosuresModule } from '../closures/closures.module';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { MoveUpsModule } from '../move-ups/move-ups.module';
import { ClockModule } from '../platform/clock/clock.module';
import { ResponsePlansModule } from '../plans/response-plans.module';
import { QueuesModule } from '../queues/queues.module';
import { RoutingModule } from '../routing/routing.module';
import { DrillCallPoster } from './drill-call-poster';
import { DrillLoop } from './drill-loop.service';
import { DrillMoveUpSteps } from './drill-move-up-steps.service';
import { DrillReportService } from './drill-report.service';
import { DrillScenarioClosures } from './drill-scenario-closures.service';
import { DrillScenarios } from './drill-scenarios.service';
import { DrillService } from './drill.service';
import { DrillsController } from './drills.controller';
import { SimulatedCrews } from './simulated-crews.service';

/**
 * Drills (exercises): replays of recorded days through the real intake and dispatch, each in its own
 * world, and their after-action reports. It imports the live rooms a drill runs through (the clock,
 * queues, calls (a drill's calls reach intake through `CallsService`, in process), incidents and crews' reports, events, closures, routing and the travel model, move-ups,
 * response plans, auth and audit); nothing else in the API imports it. It exports only what the composition roots drive: `DrillService` (runs) and
 * `DrillReportService` (reports), for `main.ts` and the drill CLI.
 */
@Module({
  imports: [ClockModule, QueuesModule, CallsModule, IncidentsModule, EventsModule, ClosuresModule, RoutingModule, MoveUpsModule, ResponsePlansModule, AuthModule],
  controllers: [DrillsController],
  providers: [DrillService, DrillReportService, DrillLoop, SimulatedCrews, DrillScenarioClosures, DrillScenarios, DrillCallPoster, DrillMoveUpSteps],
  exports: [DrillService, DrillReportService],
})
export class DrillModule {}
