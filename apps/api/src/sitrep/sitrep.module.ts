import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ClockModule } from '../platform/clock/clock.module';
import { RoutingModule } from '../routing/routing.module';
import { CallsModule } from '../calls/calls.module';
import { SitrepController } from './sitrep.controller';
import { PublicReportsIntakeController, PublicReportsController } from './public-reports.controller';
import { SitrepRepository } from './sitrep.repository';
import { SitrepService } from './sitrep.service';
import { DamageReportsService } from './damage-reports.service';
import { BriefingsService } from './briefings.service';
import { PublicReportLimiter } from './public-report-limiter';
import { PublicReportsService } from './public-reports.service';

/**
 * Knowing the situation (issue 24): damage reports, situation reports per tier, daily briefings and
 * residents' reports. Imports auth, the clock, routing and calls (an accepted resident's report becomes
 * a call). Exports nothing.
 */
@Module({
  imports: [AuthModule, ClockModule, RoutingModule, CallsModule],
  controllers: [SitrepController, PublicReportsIntakeController, PublicReportsController],
  providers: [SitrepRepository, SitrepService, DamageReportsService, BriefingsService, PublicReportLimiter, PublicReportsService],
})
export class SitrepModule {}
