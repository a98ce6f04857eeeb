import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { EventsModule } from '../events/events.module';
import { QueuesModule } from '../queues/queues.module';
import { RoutingModule } from '../routing/routing.module';
import { ClockModule } from '../platform/clock/clock.module';
import { OutagesModule } from '../outages/outages.module';
import { AuthModule } from '../auth/auth.module';
import { CommandChainController } from './command-chain.controller';
import { CommandChainService } from './command-chain.service';
import { DeadlinesService } from './deadlines.service';
import { EscalationProcessor } from './escalation.processor';

/**
 * The command chain: which tier commands an incident, escalation by hand and by deadline, and the
 * deadlines themselves (arm, fire, reconcile) with the escalation queue's processor. Imports incidents
 * (the read model), events, queues, routing, the clock, outages (an acknowledgement's grace) and auth.
 * Exports `CommandChainService` and `DeadlinesService`: dispatch calls them to arm deadlines; the
 * other way, a deadline asks dispatch for a replacement unit by a message on the dispatch queue.
 */
@Module({
  imports: [IncidentsModule, EventsModule, QueuesModule, RoutingModule, ClockModule, OutagesModule, AuthModule],
  controllers: [CommandChainController],
  providers: [CommandChainService, DeadlinesService, EscalationProcessor],
  exports: [CommandChainService, DeadlinesService],
})
export class CommandChainModule {}
