import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { CoverageModule } from '../coverage/coverage.module';
import { AuthModule } from '../auth/auth.module';
import { ClockModule } from '../platform/clock/clock.module';
import { MoveUpsController } from './move-ups.controller';
import { MoveUpsService } from './move-ups.service';
import { MoveUpProposer } from './move-up-proposer';
import { MoveUpArrivalByAvl } from './move-up-arrival-by-avl';

/**
 * Move-ups as a policy (issue 19 part 5): the `move_up` record, its life under MOVE_UP_MODE=apply and
 * the API. Imports events, routing, coverage, auth and the clock. Exports `MoveUpsService` and
 * `MoveUpProposer` (what a drill calls) and `MoveUpArrivalByAvl` (what the AVL service calls with
 * each trusted fix).
 */
@Module({
  imports: [EventsModule, RoutingModule, CoverageModule, AuthModule, ClockModule],
  controllers: [MoveUpsController],
  providers: [MoveUpsService, MoveUpProposer, MoveUpArrivalByAvl],
  exports: [MoveUpsService, MoveUpProposer, MoveUpArrivalByAvl],
})
export class MoveUpsModule {}
