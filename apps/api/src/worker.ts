import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { prepare } from './bootstrap';
import { loadConfig } from './config/config';

/** Worker entry point: the same code as the API, running only the BullMQ processors (no HTTP). */
async function main(): Promise<void> {
  const config = loadConfig();
  config.RUN_WORKERS = true;
  await prepare(config);
  const app = await NestFactory.createApplicationContext(AppModule.register(config));
  app.enableShutdownHooks();
  console.log('worker running: queues intake, dispatch, escalation');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
