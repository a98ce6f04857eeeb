import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { RealtimeGateway } from './realtime.gateway';

/**
 * `subscribe { lastSeq: null }` means "none seen": the client follows from now (and reads the current
 * state from the API), it is not replayed the log from the start (`Number(null)` is 0, which replayed a
 * unit's whole history, or told a console to resync). Hostile twin: `lastSeq: 0` still replays
 * everything after position 0.
 */
describe('subscribe with a null lastSeq', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('subscribe-null', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A phone of `unitId` subscribed with `lastSeq`; its events and the acknowledgement. */
  const phone = async (unitId: string, lastSeq: number | null) => {
    const token = await t.signIn(unitId.toLowerCase());
    const events: { type: string; seq: number }[] = [];
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    sockets.push(s);
    s.on('event', (e) => events.push(e));
    const ack = await new Promise<{ ok: boolean; relayed?: number; resync?: boolean }>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', { lastSeq, unitId }, resolve));
    });
    return { events, ack };
  };

  it('replays nothing for null, relays what comes after, and replays the history for 0', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, lat: 37.7205, lon: -122.446, address: 'history', callNumber: 'null-seq-1' });
    const incident = await waitFor(async () => (await t.incidentOf(call.body.id)).assignments?.length ? t.incidentOf(call.body.id) : undefined, 20000, 'dispatched');
    const unitId: string = incident.assignments[0].unitId;
    // "Now" is the relay's position: once it has relayed the task's events they are history.
    const head: number = await waitFor(async () => {
      const [r] = await t.ds.query(`SELECT max(seq)::int AS head, count(*) FILTER (WHERE seq IS NULL)::int AS pending FROM incident_event`);
      return r.pending === 0 && r.head > 0 ? r.head : undefined;
    }, 10000, 'every event positioned');
    await waitFor(async () => (t.app.get(RealtimeGateway).relayedSeq >= head ? true : undefined), 10000, 'the relay at the head of the log');

    const fresh = await phone(unitId, null);
    expect(fresh.ack.ok).toBe(true);
    expect(fresh.ack.resync).toBeUndefined();
    expect(fresh.ack.relayed).toBeGreaterThanOrEqual(head);

    const replayed = await phone(unitId, 0);
    await waitFor(async () => replayed.events.some((e) => e.type === 'assignment.created') || undefined, 10000, 'history replayed for 0');

    // A later event of the unit reaches the null subscriber: it follows from now.
    const ack = await t.request('PATCH', `/api/assignments/${incident.assignments[0].id}`, { status: 'acknowledged' });
    expect(ack.status).toBe(200);
    await waitFor(async () => fresh.events.some((e) => e.type === 'assignment.updated') || undefined, 10000, 'live event after null');
    expect(fresh.events.every((e) => e.seq > fresh.ack.relayed!)).toBe(true);
    expect(fresh.events.some((e) => e.type === 'assignment.created')).toBe(false);
  }, 120000);
});
