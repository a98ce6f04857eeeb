import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { MoveUpsModule } from '../move-ups/move-ups.module';
import { ClocksController } from './clocks.controller';
import { AvlService } from './avl.service';
import { ClockOffsetService } from './clock-offset.service';

/**
 * Where units are: AVL fixes (late, ancient, jumping ones refused; positions broadcast) and each
 * device's clock offset (`GET/POST /api/clocks`). Imports events (AVL broadcasts), routing and move-ups
 * (an arrival by AVL ends a move-up), auth (whose devices a post sees). Exports `AvlService` (positions for dispatch, fixes from units)
 * and `ClockOffsetService` (crews' reports and the device clock guard correct device times).
 */
@Module({
  imports: [EventsModule, RoutingModule, MoveUpsModule, AuthModule],
  controllers: [ClocksController],
  providers: [AvlService, ClockOffsetService],
  exports: [AvlService, ClockOffsetService],
})
export class AssignmentsModule {}
