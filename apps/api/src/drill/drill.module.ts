import { Module } from '@nestjs/common';
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
 * world, and their after-action reports. It uses the application's global providers (record, clock,
 * queues, assignments, incidents, closures, travel model, coverage, move-ups, audit); nothing else in
 * the API imports it. It exports only what the composition roots drive: `DrillService` (runs) and
 * `DrillReportService` (reports), for `main.ts` and the drill CLI.
 */
@Module({
  controllers: [DrillsController],
  providers: [DrillService, DrillReportService, DrillLoop, SimulatedCrews, DrillScenarioClosures, DrillScenarios, DrillCallPoster, DrillMoveUpSteps],
  exports: [DrillService, DrillReportService],
})
export class DrillModule {}
