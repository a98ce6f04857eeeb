import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DegradedRegistry } from './degraded.registry';
import { HealthController } from './health.controller';

/**
 * Liveness and readiness (`/api/health/live`, `/api/health/ready`). Exports {@link DegradedRegistry}, the
 * extension point through which other modules report a degraded stage.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DegradedRegistry],
  exports: [DegradedRegistry],
})
export class HealthModule {}
