import { Module } from '@nestjs/common';
import { CommandChainModule } from '../command-chain/command-chain.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ClosuresModule } from '../closures/closures.module';
import { ResponsePlansModule } from '../plans/response-plans.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { RoutingModule } from '../routing/routing.module';
import { EventsModule } from '../events/events.module';
import { ClockModule } from '../platform/clock/clock.module';
import { QueuesModule } from '../queues/queues.module';
import { AuthModule } from '../auth/auth.module';
import { UnitMessagesModule } from '../unit-messages/unit-messages.module';
import { DispatchController } from './dispatch.controller';
import { AckAlertsController } from './ack-alerts.controller';
import { LateAckAlertsController } from './late-ack-alerts.controller';
import { AgencyRequestsController } from './agency-requests.controller';
import { DispatchService } from './dispatch.service';
import { DispatchCandidatesService } from './dispatch-candidates.service';
import { UnitAssignmentService } from './unit-assignment.service';
import { AssignByHandService } from './assign-by-hand.service';
import { ResourceRequestsService } from './resource-requests.service';
import { DispatchRoundService } from './dispatch-round.service';
import { RecommendationsService } from './recommendations.service';
import { RecommendationDecisionsService } from './recommendation-decisions.service';
import { AckAlertsService } from './ack-alerts.service';
import { LateAckAlertsService } from './late-ack-alerts.service';
import { AgencyRequestsService } from './agency-requests.service';
import { DispatchProcessor } from './dispatch.processor';

/**
 * Dispatch: the dispatch queue's processor and rounds, the allocation of units, unit assignment, units
 * by hand, resource requests and replacements, requests to other agencies' posts, acknowledgement
 * alerts (late acknowledgements too) and recommendations. Imports the command chain (it arms deadlines),
 * incidents, closures (routes), response plans, the assignments room (positions), routing, events, the
 * clock, queues, auth and unit messages (a late acknowledgement's answer tells the crew). Exports nothing: no other room calls dispatch; they queue a dispatch job or a message.
 */
@Module({
  imports: [CommandChainModule, IncidentsModule, ClosuresModule, ResponsePlansModule, AssignmentsModule, RoutingModule, EventsModule, ClockModule, QueuesModule, AuthModule, UnitMessagesModule],
  controllers: [DispatchController, AckAlertsController, LateAckAlertsController, AgencyRequestsController],
  providers: [DispatchService, DispatchCandidatesService, UnitAssignmentService, AssignByHandService, ResourceRequestsService, DispatchRoundService, RecommendationsService, RecommendationDecisionsService, AckAlertsService, LateAckAlertsService, AgencyRequestsService, DispatchProcessor],
})
export class DispatchModule {}
