import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RoutingModule } from '../routing/routing.module';
import { ClockModule } from '../platform/clock/clock.module';
import { StateController } from './state.controller';
import { EventSequencer } from './event-sequencer';
import { EventsService } from './events.service';
import { IntakeStallService } from './intake-stall.service';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuth } from './socket-auth';

/**
 * The event log and its realtime relay: `EventsService` (append inside the caller's transaction, read
 * in order), the `EventSequencer` (positions committed events), the socket.io `RealtimeGateway` (relays
 * the log to consoles and phones, broadcasts AVL), the intake stall alarm and `GET /api/state`.
 * Imports auth (sockets sign in), routing (rooms by jurisdiction) and the clock. Exports
 * `EventsService`, `RealtimeGateway` (AVL broadcasts, relay lag) and `IntakeStallService` (health, metrics).
 */
@Module({
  imports: [AuthModule, RoutingModule, ClockModule],
  controllers: [StateController],
  providers: [EventSequencer, EventsService, IntakeStallService, RealtimeGateway, SocketAuth],
  exports: [EventsService, RealtimeGateway, IntakeStallService],
})
export class EventsModule {}
