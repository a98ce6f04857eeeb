import { portAnswers, freePort } from '../infra/local-services';

/** The MQTT broker found or started for the one-command start. */
export interface Broker {
  url: string;
  note: string;
  stop(): Promise<void>;
}

/**
 * Finds or starts the MQTT broker: `MQTT_URL` when set; else the one answering on 127.0.0.1:1883 (this
 * machine and CI run Mosquitto there); else an in-process `aedes` broker on a free port (the way
 * `npm start` starts Postgres and Redis when none answers). The in-process broker keeps no session
 * after the process ends: a production city runs Mosquitto (README).
 */
export async function resolveBroker(configured?: string): Promise<Broker> {
  if (configured)
    return {
      url: configured,
      note: 'MQTT: using MQTT_URL',
      stop: async () => undefined,
    };
  if (await portAnswers(1883))
    return {
      url: 'mqtt://127.0.0.1:1883',
      note: 'MQTT: using the broker on 127.0.0.1:1883',
      stop: async () => undefined,
    };
  const { Aedes } = await import('aedes');
  const net = await import('node:net');
  const broker = await Aedes.createBroker();
  const port = await freePort();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    note: `MQTT: no broker on 127.0.0.1:1883, started an in-process aedes broker on port ${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
