import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as os from 'node:os';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { prepare } from './bootstrap';
import { loadConfig } from './config/config';
import { processLogger, quietStartupLogger } from './platform/logging/logger';
import { serveMetrics } from './platform/metrics/metrics-http';
import { MetricsService } from './platform/metrics/metrics.service';

/** Root of a worker started with extra modules beside the application (see {@link runWorker}). */
@Module({})
class WorkerWithExtras {}

/**
 * Worker entry point: the same code as the API, running only the BullMQ processors (no HTTP API), with
 * pino JSON logs and its own `/metrics` on `WORKER_METRICS_PORT`.
 * @param extra modules started beside the application: none in production; the fault tests' entry
 *   (`faults/fault-worker.ts`) passes its `FaultInjectionModule`
 */
export async function runWorker(extra: DynamicModule[] = []): Promise<void> {
  const config = loadConfig();
  config.RUN_WORKERS = true;
  const log = processLogger('worker', config.LOG_LEVEL);
  if (config.WORKER_NICE > 0) {
    try {
      os.setPriority(Math.max(os.getPriority(), config.WORKER_NICE));
    } catch (e) {
      log.warn(`WORKER_NICE=${config.WORKER_NICE} not applied: ${(e as Error).message}`);
    }
  }
  await prepare(config, { log: (m) => log.info(m) });
  const root = AppModule.register(config, 'worker');
  const app = await NestFactory.createApplicationContext(extra.length ? { module: WorkerWithExtras, imports: [root, ...extra] } : root, { bufferLogs: true });
  app.useLogger(quietStartupLogger(app.get(Logger)));
  app.enableShutdownHooks();
  const metrics = await serveMetrics(app.get(MetricsService), { host: config.HOST, port: config.WORKER_METRICS_PORT, token: config.METRICS_TOKEN, log });
  if (metrics) process.once('beforeExit', () => metrics.close());
  // The ready line is written at info even under LOG_LEVEL=warn: supervisors and the e2e tests wait for it.
  const lifecycle = config.LOG_LEVEL === 'silent' ? log : processLogger('worker', 'info');
  lifecycle.info({ metricsPort: metrics ? (metrics.address() as { port: number }).port : null }, 'worker running: queues intake, dispatch, escalation');
}

/** Starts a worker; on failure says why and exits 1. */
export function startWorkerProcess(extra: DynamicModule[] = []): void {
  runWorker(extra).catch((e) => {
    processLogger('worker').fatal({ err: e instanceof Error ? e.message : String(e) }, 'worker failed to start');
    process.exit(1);
  });
}

if (require.main === module) startWorkerProcess();
