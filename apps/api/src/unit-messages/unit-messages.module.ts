import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { UnitMessagesController } from './unit-messages.controller';
import { UnitMessagesService } from './unit-messages.service';

/**
 * Messages to units' phones with read receipts (issue 26); imports events, routing and auth. Exports
 * `UnitMessagesService` (a dispatcher's answer to a late acknowledgement tells the crew).
 */
@Module({
  imports: [EventsModule, RoutingModule, AuthModule],
  controllers: [UnitMessagesController],
  providers: [UnitMessagesService],
  exports: [UnitMessagesService],
})
export class UnitMessagesModule {}
