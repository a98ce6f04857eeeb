import { loadConfig } from './config/config';
import { createApp, prepare } from './bootstrap';
import { DrillService } from './drill/drill.service';
import { resolveBroker } from './lifelines/mqtt-broker';
import { processLogger } from './platform/logging/logger';

/** API entry point: services, migrations, import, HTTP + socket.io, in-process workers, optional drill. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = processLogger('api', config.LOG_LEVEL);
  // The demo banner and the first-password link are also written plainly to stderr, where a person reads them among the JSON logs.
  const { services } = await prepare(config, { log: (m) => log.info(m), announce: (m) => process.stderr.write(`\n${m}\n\n`), firstPasswordToken: true });
  // The lifeline sensors' MQTT broker: MQTT_URL, else 127.0.0.1:1883, else an in-process aedes broker.
  const broker = await resolveBroker(config.MQTT_URL);
  log.info(broker.note);
  config.MQTT_URL = broker.url;
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  log.info({ console: `${url}/`, api: `${url}/api/incidents`, docs: `${url}/api/docs`, queues: `${url}/admin/queues`, metrics: `${url}/metrics` }, `City CAD console: ${url}/ (API docs ${url}/api/docs)`);
  process.stderr.write(`\n  City CAD is up.\n  Console:          ${url}/   (responders: ${url}/responder)\n  API docs:         ${url}/api/docs\n  Queue dashboard:  ${url}/admin/queues (city commanders)\n  Metrics:          ${url}/metrics (this machine)\n\n`);
  if (config.DRILL_DATE) {
    const d = await app.get(DrillService).start({ day: config.DRILL_DATE, speed: config.DRILL_SPEED });
    log.info({ drillId: d.id, calls: d.calls }, `drill ${d.id}: replaying ${d.calls} calls of ${config.DRILL_DATE} at ${config.DRILL_SPEED}x; report in the console (Drill → Report), or GET ${url}/api/drills/${d.id}/report with a bearer token`);
  }
  let stopping = false;
  // A Redis command cut off by the shutdown itself ("Connection is closed.", e.g. a drill's step in flight)
  // is not a failure to report as a crash; any other unhandled rejection still ends the process, as Node would.
  process.on('unhandledRejection', (e) => {
    const message = e instanceof Error ? e.message : String(e);
    if (stopping && /Connection is closed/.test(message)) {
      log.debug({ err: message }, 'a command cut off by the shutdown');
      return;
    }
    log.fatal({ err: message, stack: e instanceof Error ? e.stack : undefined }, 'unhandled rejection');
    process.exit(1);
  });
  const stop = async () => {
    stopping = true;
    await app.close();
    await services.stop();
    await broker.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e) => {
  processLogger('api').fatal({ err: e instanceof Error ? e.message : String(e) }, 'API failed to start');
  process.exit(1);
});
