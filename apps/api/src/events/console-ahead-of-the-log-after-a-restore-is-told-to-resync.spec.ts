import { io, Socket } from 'socket.io-client';
import { EventsService } from './events.service';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * A console that last saw sequence numbers the log no longer has (the database was restored from a
 * backup, so the log is behind what the console saw) must reload from a snapshot: otherwise it would
 * drop every later event as one it already had. A console exactly at the head of the log, or behind
 * it, replays as usual and is not told to resync.
 */
describe('a console whose lastSeq is ahead of the event log', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('ahead-of-log');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** Connects a console and answers its `subscribe` acknowledgement and whether `resync` came. */
  const subscribe = (lastSeq: number) =>
    new Promise<{ ack: { ok: boolean; resync?: boolean; reason?: string }; resync: boolean }>((resolve, reject) => {
      const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
      sockets.push(s);
      let resync = false;
      s.on('resync', () => (resync = true));
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', { lastSeq, jurisdictionId: 'sf' }, (ack: { ok: boolean }) => setTimeout(() => resolve({ ack, resync }), 100)));
    });

  it('is told to resync, naming why; consoles at or behind the head are not', async () => {
    const events = t.app.get(EventsService);
    await t.ds.transaction((m) => events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { n: 1 } as never }));
    const head = await events.lastSeq();
    expect(head).toBeGreaterThan(0);

    const ahead = await subscribe(head + 5000);
    expect(ahead.ack.ok).toBe(true);
    expect(ahead.ack.resync).toBe(true);
    expect(ahead.ack.reason).toMatch(/ahead of the event log/);
    expect(ahead.resync).toBe(true);

    for (const lastSeq of [head, head - 1]) {
      const usual = await subscribe(lastSeq);
      expect(usual.ack.ok).toBe(true);
      expect(usual.ack.resync).toBeUndefined();
      expect(usual.resync).toBe(false);
    }
  }, 120000);
});
