import { AlertFeedsPoller } from './alert-feeds.poller';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { CapValidator } from './cap/cap-validator';
import { PublicAlertsController } from './public-alerts.controller';
import { PublicAlertsService } from './public-alerts.service';
import { ReceivedAlertsService } from './received-alerts.service';

/**
 * CAP alerts issued and received, and the public feed. Its services use the record (`DataSource`), the
 * configuration and `CallsService` (a received alert may open an incident), which the application
 * module provides; `CapValidator` is exported for the incident export (`exports/cap.ts`).
 */
export const AlertsModule = {
  controllers: [AlertsController, PublicAlertsController],
  providers: [AlertsRepository, CapValidator, AlertsService, PublicAlertsService, ReceivedAlertsService, AlertFeedsPoller],
};
