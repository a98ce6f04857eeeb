import { Module } from '@nestjs/common';
import { QueuesService } from './queues.service';
import { RedispatchService } from './redispatch';

/**
 * The job registry: every BullMQ queue, job name and job id (`queues.constants.ts`), and
 * `QueuesService` that adds jobs and starts the processors each room declares for its own queue.
 * Exports `QueuesService` and `RedispatchService` (incidents waiting for units, dispatched again when
 * units come free or roads reopen).
 */
@Module({
  providers: [QueuesService, RedispatchService],
  exports: [QueuesService, RedispatchService],
})
export class QueuesModule {}
