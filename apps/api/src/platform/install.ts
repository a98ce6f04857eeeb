import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '../config/config';
import { QueuesService } from '../queues/queues.service';
import { serveApiDocs } from './api-docs/api-docs';
import { requestLogContext } from './logging/log-context';
import { metricsHandler } from './metrics/metrics-http';
import { MetricsService } from './metrics/metrics.service';
import { AdminSession } from '../auth/admin-session';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './queue-dashboard/queue-dashboard';

/**
 * Mounts the platform's HTTP pages on the API (call once, after the global prefix, before `listen`):
 * the log context of requests on one incident, `GET /metrics` (loopback or `METRICS_TOKEN`), the queue
 * dashboard at `/admin/queues` (city commander), the API docs at `/api/docs` and `/api/docs-json`.
 */
export function installPlatform(app: NestExpressApplication, config: AppConfig): void {
  app.use(requestLogContext);
  const metrics = metricsHandler(app.get(MetricsService), config.METRICS_TOKEN);
  app.use('/metrics', (req: Parameters<typeof metrics>[0], res: Parameters<typeof metrics>[1], next: () => void) => (req.method === 'GET' ? metrics(req, res) : next()));
  app.use(QUEUE_DASHBOARD_PATH, ...queueDashboard(app.get(QueuesService).list(), app.get(AdminSession)));
  serveApiDocs(app);
}
