import { CallRecordController } from './call-record.controller';
import { CallRecordRepository } from './call-record.repository';
import { CallerRetention, CallRecordService } from './call-record.service';
import { CloseDispositionPipe } from './close-disposition.pipe';

/**
 * The call record (issue 26): callers, narrative, disposition codes. Its services use the record
 * (`DataSource`), the configuration, `EventsService`, `AccessService` and the jurisdiction index, which
 * the application module provides; `CloseDispositionPipe` is used by the incident close route.
 */
export const CallRecordModule = {
  controllers: [CallRecordController],
  providers: [CallRecordRepository, CallRecordService, CallerRetention, CloseDispositionPipe],
};
