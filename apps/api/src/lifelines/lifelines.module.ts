import { LifelinesController } from './lifelines.controller';
import { LifelinesService } from './lifelines.service';
import { TelemetryStore } from './telemetry.store';

/**
 * Lifelines: water (and gas) network sensors over MQTT, leak detection and alarms that become calls.
 * Uses the configuration, `CallsService` (the normal intake) and `DegradedRegistry` (readiness), which
 * the application module provides, and the TypeORM `DataSource` (telemetry).
 */
export const LifelinesModule = {
  controllers: [LifelinesController],
  providers: [LifelinesService, TelemetryStore],
};
