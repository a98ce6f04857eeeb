import { loadConfig } from './config/config';
import { createApp, prepare } from './bootstrap';
import { DrillService } from './drill/drill.service';

/** API entry point: services, migrations, import, HTTP + socket.io, in-process workers, optional drill. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { services } = await prepare(config, { firstPasswordToken: true });
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  console.log(`\n  City CAD console: ${url}/\n  API: ${url}/api/incidents\n`);
  if (config.DRILL_DATE) {
    const d = await app.get(DrillService).start({ day: config.DRILL_DATE, speed: config.DRILL_SPEED });
    console.log(`  Drill ${d.id}: replaying ${d.calls} calls of ${config.DRILL_DATE} at ${config.DRILL_SPEED}x\n  Report: in the console (Drill → Report), or GET ${url}/api/drills/${d.id}/report with a bearer token\n`);
  }
  const stop = async () => {
    await app.close();
    await services.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
