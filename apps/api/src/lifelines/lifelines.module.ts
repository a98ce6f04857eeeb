import { LifelinesController } from './lifelines.controller';
import { LifelinesService } from './lifelines.service';

/**
 * Lifelines: water (and gas) network sensors over MQTT, leak detection and alarms that become calls.
 * Uses the configuration, `CallsService` (the normal intake) and `DegradedRegistry` (readiness), which
 * the application module provides.
 */
export const LifelinesModule = {
  controllers: [LifelinesController],
  providers: [LifelinesService],
};
