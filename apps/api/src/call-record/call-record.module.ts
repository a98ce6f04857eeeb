import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { RoutingModule } from '../routing/routing.module';
import { AuthModule } from '../auth/auth.module';
import { CallRecordController } from './call-record.controller';
import { CallRecordRepository } from './call-record.repository';
import { CallRecordService, CallerRetention } from './call-record.service';
import { CloseDispositionPipe } from './close-disposition.pipe';

/**
 * The call record (issue 26): callers, narrative, disposition codes. Imports events, routing and auth.
 * Exports nothing (`CloseDispositionPipe`, used by the incident close route, needs only the configuration).
 */
@Module({
  imports: [EventsModule, RoutingModule, AuthModule],
  controllers: [CallRecordController],
  providers: [CallRecordRepository, CallRecordService, CallerRetention, CloseDispositionPipe],
})
export class CallRecordModule {}
