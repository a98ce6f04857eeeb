import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DegradedRegistry } from './degraded.registry';
import { HealthController } from './health.controller';
import { PostgresProbe } from './postgres-probe';
import { EventsModule } from '../../events/events.module';
import { QueuesModule } from '../../queues/queues.module';

/**
 * Liveness and readiness (`/api/health/live`, `/api/health/ready`). Exports {@link DegradedRegistry}, the
 * extension point through which other modules report a degraded stage. Imports queues and events (the
 * intake stall alarm) for readiness.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), QueuesModule, EventsModule],
  controllers: [HealthController],
  providers: [DegradedRegistry, PostgresProbe],
  exports: [DegradedRegistry],
})
export class HealthModule {}
