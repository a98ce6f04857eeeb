import { OutagesController } from './outages.controller';
import { OutagesService } from './outages.service';

/**
 * Through an outage: heartbeats, recorded outages and the acknowledgement grace after one. Its service
 * uses the record (`DataSource`), the configuration and the process role (`PROCESS_ROLE`), which the
 * application module provides.
 */
export const OutagesModule = {
  controllers: [OutagesController],
  providers: [OutagesService],
};
