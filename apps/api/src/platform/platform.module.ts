import { Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';

/**
 * Platform services from the ecosystem: health (terminus), metrics (prom-client), the queue dashboard's
 * access (bull-board). Their HTTP mounts outside Nest's router (`/metrics`, `/admin/queues`, `/api/docs`)
 * are made by `installPlatform`. Uses the application's global providers (config, record, queues).
 */
@Module({
  imports: [HealthModule, MetricsModule, QueueDashboardModule],
  exports: [HealthModule, MetricsModule, QueueDashboardModule],
})
export class PlatformModule {}
