import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';
import { EventsModule } from '../../events/events.module';
import { QueuesModule } from '../../queues/queues.module';

/**
 * Prometheus metrics of the process ({@link MetricsService}); `GET /metrics` is mounted by
 * `installPlatform` (API) or `serveMetrics` (worker). Times `POST /api/calls` answers (accept latency).
 * Imports queues (their depths) and events (the relay's lag, the intake stall alarm).
 */
@Module({ imports: [QueuesModule, EventsModule], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule implements NestModule {
  constructor(private readonly metrics: MetricsService) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        const end = this.metrics.acceptLatency.startTimer();
        res.once('finish', () => end({ status: String(res.statusCode) }));
        next();
      })
      .forRoutes({ path: 'calls', method: RequestMethod.POST });
  }
}
