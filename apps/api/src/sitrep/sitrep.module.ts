import { BriefingsService } from './briefings.service';
import { DamageReportsService } from './damage-reports.service';
import { PublicReportLimiter } from './public-report-limiter';
import { PublicReportsController, PublicReportsIntakeController } from './public-reports.controller';
import { PublicReportsService } from './public-reports.service';
import { SitrepController } from './sitrep.controller';
import { SitrepRepository } from './sitrep.repository';
import { SitrepService } from './sitrep.service';

/**
 * Knowing the situation (issue 24): damage reports, situation reports per tier, daily briefings and
 * residents' reports. Its services use the record, the configuration, `AccessService`, `AuditService`,
 * `ClockService` and `CallsService` (an accepted resident's report becomes a call), which the
 * application module provides; nothing else imports this folder.
 */
export const SitrepModule = {
  controllers: [SitrepController, PublicReportsIntakeController, PublicReportsController],
  providers: [SitrepRepository, SitrepService, DamageReportsService, BriefingsService, PublicReportLimiter, PublicReportsService],
};
