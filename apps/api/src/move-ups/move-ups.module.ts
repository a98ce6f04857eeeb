import { MoveUpsController } from './move-ups.controller';
import { MoveUpsService } from './move-ups.service';
import { MoveUpProposer } from './move-up-proposer';
import { MoveUpArrivalByAvl } from './move-up-arrival-by-avl';

/**
 * Move-ups as a policy (issue 19 part 5): the `move_up` record, its life under MOVE_UP_MODE=apply and
 * the API. Its service uses the record, `EventsService`, the jurisdiction index, `CoverageService` and
 * the configuration, which the application module provides; `MoveUpsService` is what a drill calls,
 * `MoveUpArrivalByAvl` what the AVL service calls with each trusted fix.
 */
export const MoveUpsModule = {
  controllers: [MoveUpsController],
  providers: [MoveUpsService, MoveUpProposer, MoveUpArrivalByAvl],
};
