import { Module } from '@nestjs/common';
import { OutagesController } from './outages.controller';
import { OutagesService } from './outages.service';

/**
 * Through an outage: heartbeats, recorded outages and the acknowledgement grace after one. Uses the
 * core (record, configuration, `PROCESS_ROLE`); exports `OutagesService` (the grace a task's
 * acknowledgement deadline waits, and what a crew's report during an outage is checked against).
 */
@Module({
  controllers: [OutagesController],
  providers: [OutagesService],
  exports: [OutagesService],
})
export class OutagesModule {}
