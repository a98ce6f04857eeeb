import { Client } from 'pg';
import { EventsService } from './events.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * The realtime relay is woken by Postgres when events commit (channel `cad_event`, fed by a trigger
 * on the event log), not only by its fallback poll; a notification is never sent for a transaction
 * that has not committed; and when its listening connection is killed it listens again by itself.
 */
describe('the relay hears committed events from Postgres', () => {
  let t: TestApp;
  let listener: Client;
  const heard: string[] = [];
  beforeAll(async () => {
    t = await startTestApp('relay-notify');
    listener = new Client({ connectionString: t.config.DATABASE_URL });
    await listener.connect();
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query('LISTEN cad_event');
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });

  const listeners = async () => {
    const [r] = await t.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN cad_event' AND pid <> $1`, [
      (listener as unknown as { processID: number }).processID,
    ]);
    return r.n as number;
  };

  it('notifies on commit only, and never for a rolled-back append', async () => {
    const events = t.app.get(EventsService);
    const append = (m: Parameters<EventsService['append']>[0]) =>
      events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { probe: true } as never });
    heard.length = 0;
    const qr = t.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    await append(qr.manager);
    await append(qr.manager);
    // The transaction is still open: a round trip on the listening connection delivers anything already sent.
    await listener.query('SELECT 1');
    expect(heard).toEqual([]);
    await qr.commitTransaction();
    await waitFor(async () => heard.length > 0, 5000);
    await listener.query('SELECT 1');
    // Two appends in one transaction: one notification.
    expect(heard).toEqual(['cad_event']);

    heard.length = 0;
    await qr.startTransaction();
    await append(qr.manager);
    await qr.rollbackTransaction();
    await qr.release();
    await listener.query('SELECT 1');
    expect(heard).toEqual([]);
  });

  it('the API listens, and listens again after its connection is killed', async () => {
    await waitFor(async () => (await listeners()) === 1, 10000);
    await t.ds.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN cad_event' AND pid <> $1`, [
      (listener as unknown as { processID: number }).processID,
    ]);
    await waitFor(async () => (await listeners()) === 1, 10000);
    // Events still reach the log and the API still answers.
    expect((await t.request('GET', '/api/health/ready')).status).toBe(200);
  });
});
