import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { AuthModule } from '../auth/auth.module';
import { AlertsController } from './alerts.controller';
import { PublicAlertsController } from './public-alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { CapValidator } from './cap/cap-validator';
import { AlertsService } from './alerts.service';
import { PublicAlertsService } from './public-alerts.service';
import { ReceivedAlertsService } from './received-alerts.service';
import { AlertFeedsPoller } from './alert-feeds.poller';

/**
 * CAP alerts issued and received, and the public feed. Imports calls (a received alert may open an
 * incident) and auth. Exports `CapValidator` (the incident export checks its CAP messages).
 */
@Module({
  imports: [CallsModule, AuthModule],
  controllers: [AlertsController, PublicAlertsController],
  providers: [AlertsRepository, CapValidator, AlertsService, PublicAlertsService, ReceivedAlertsService, AlertFeedsPoller],
  exports: [CapValidator],
})
export class AlertsModule {}
