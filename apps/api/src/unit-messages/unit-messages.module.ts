import { UnitMessagesController } from './unit-messages.controller';
import { UnitMessagesService } from './unit-messages.service';

/**
 * Messages to units' phones with read receipts (issue 26). Its service uses the record, `EventsService`,
 * `AccessService` and the jurisdiction index, which the application module provides.
 */
export const UnitMessagesModule = {
  controllers: [UnitMessagesController],
  providers: [UnitMessagesService],
};
