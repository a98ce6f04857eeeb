import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { HealthModule } from '../platform/health/health.module';
import { LifelinesController } from './lifelines.controller';
import { LifelinesService } from './lifelines.service';
import { TelemetryStore } from './telemetry.store';

/**
 * Lifelines: water (and gas) network sensors over MQTT, leak detection and alarms that become calls.
 * Imports calls (the normal intake) and health (`DegradedRegistry`: readiness). Exports nothing.
 */
@Module({
  imports: [CallsModule, HealthModule],
  controllers: [LifelinesController],
  providers: [LifelinesService, TelemetryStore],
})
export class LifelinesModule {}
