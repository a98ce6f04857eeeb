import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { RealtimeGateway } from './realtime.gateway';

/**
 * What an independent tester saw: two `subscribe` messages in flight on one socket, both with
 * `lastSeq = head - 3000`, replayed every event twice (246 events for 123, one out of order). The
 * gateway now handles a socket's subscribes one at a time: the later supersedes the earlier and goes on
 * from what it delivered, so each event arrives once and in sequence order.
 */
describe('two subscribes in flight on one socket', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('subscribe-twice', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const connect = async () => {
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
    sockets.push(s);
    const events: { seq: number; type: string }[] = [];
    s.on('event', (e) => events.push(e));
    await new Promise<void>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => resolve());
    });
    return { s, events };
  };
  const subscribe = (s: Socket, lastSeq: number) => new Promise<{ ok: boolean; relayed?: number; superseded?: boolean }>((resolve) => s.emit('subscribe', { lastSeq }, resolve));

  it('delivers each event once, in order, as one subscribe does', async () => {
    // Some history: a few calls, each dispatched (several events each).
    for (let k = 0; k < 6; k++) {
      const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.72 + k * 0.012, lon: -122.446, address: `history ${k}`, callNumber: `twice-${k}` });
      expect(call.status).toBe(202);
      // Each call's dispatch decision (units sent or waiting) is part of the history: on a slow machine
      // the worker's events come well after intake's, and the head is only taken once they are in.
      await t.incidentOf(call.body.id);
    }
    const head: number = await waitFor(async () => {
      const [r] = await t.ds.query(`SELECT max(seq)::int AS head, count(*) FILTER (WHERE seq IS NULL)::int AS pending FROM incident_event`);
      return r.pending === 0 && r.head > 0 ? r.head : undefined;
    }, 20000, 'every event positioned');
    await waitFor(async () => (t.app.get(RealtimeGateway).relayedSeq >= head ? true : undefined), 10000, 'the relay at the head of the log');
    const lastSeq = Math.max(0, head - 3000);

    // The reference: one subscribe on its own socket.
    const one = await connect();
    const ref = await subscribe(one.s, lastSeq);
    expect(ref.ok).toBe(true);
    const upTo = ref.relayed!;

    // The hostile case: two subscribes sent back to back, neither awaited.
    const two = await connect();
    const [a, b] = await Promise.all([subscribe(two.s, lastSeq), subscribe(two.s, lastSeq)]);
    expect(b.ok).toBe(true);
    expect(a.ok || a.superseded).toBe(true);
    await new Promise((r) => setTimeout(r, 500));

    const seqs = two.events.map((e) => e.seq).filter((s) => s <= upTo);
    const expected = one.events.map((e) => e.seq).filter((s) => s <= upTo);
    expect(expected.length).toBeGreaterThan(10);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs).toEqual(expected);
  }, 120000);
});
