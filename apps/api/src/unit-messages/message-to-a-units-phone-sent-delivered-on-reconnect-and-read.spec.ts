import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * A dispatcher's text message to a unit's phone carries a read receipt: `sent` when stored, then
 * `delivered` when the phone confirms it (live over its socket, or after it reconnects from offline and
 * replays what it missed), then `read` when the crew marks it; the console sees each step as an event.
 */
describe('a message to a unit\u2019s phone', () => {
  let t: TestApp;
  let unitId: string;
  let crew: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('messages');
    [{ id: unitId }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND status = 'available' ORDER BY id LIMIT 1`);
    crew = await t.signIn(unitId.toLowerCase());
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** The phone's socket, subscribed from `lastSeq`, collecting the events it is sent. */
  async function phone(lastSeq: number): Promise<{ events: any[]; socket: Socket }> {
    const events: any[] = [];
    const socket = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: crew } });
    sockets.push(socket);
    socket.on('event', (e) => events.push(e));
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.on('connect', () => socket.emit('subscribe', { lastSeq }, resolve)));
    expect(ack.ok).toBe(true);
    return { events, socket };
  }
  const lastSeq = async () => Number((await t.ds.query(`SELECT coalesce(max(seq), 0)::bigint AS s FROM incident_event`))[0].s);
  const stateOf = async (id: string) => (await t.request('GET', `/api/units/${unitId}/messages`)).body.find((m: any) => m.id === id)?.state;

  it('reaches an online phone, which confirms delivery, then read; each step once', async () => {
    const { events } = await phone(await lastSeq());
    const sent = await t.request('POST', `/api/units/${unitId}/messages`, { text: 'Use the north gate, 名字 ok' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ unitId, text: 'Use the north gate, 名字 ok', sentBy: 'commander', state: 'sent', deliveredAt: null, readAt: null });
    const ev = await waitFor(async () => events.find((e) => e.type === 'unit.message' && e.payload.id === sent.body.id) ?? null, 10000, 'the message on the phone');
    expect(ev.unitId).toBe(unitId);

    const delivered = await t.request('POST', `/api/messages/${ev.payload.id}/delivered`, undefined, crew);
    expect(delivered.status).toBe(200);
    expect(delivered.body.state).toBe('delivered');
    expect(await stateOf(sent.body.id)).toBe('delivered');
    // Repeated (the phone retried): nothing changes, no second receipt.
    expect((await t.request('POST', `/api/messages/${ev.payload.id}/delivered`, undefined, crew)).body.deliveredAt).toBe(delivered.body.deliveredAt);
    const read = await t.request('POST', `/api/messages/${ev.payload.id}/read`, undefined, crew);
    expect(read.body).toMatchObject({ state: 'read', deliveredAt: delivered.body.deliveredAt });
    expect(await stateOf(sent.body.id)).toBe('read');
    const receipts = await t.ds.query(`SELECT payload->>'state' AS state FROM incident_event WHERE type = 'unit.message_receipt' AND payload->>'id' = $1 ORDER BY seq`, [sent.body.id]);
    expect(receipts.map((r: any) => r.state)).toEqual(['delivered', 'read']);
  });

  it('waits as sent while the phone is offline, and is delivered when it reconnects', async () => {
    const before = await lastSeq();
    const sent = await t.request('POST', `/api/units/${unitId}/messages`, { text: 'Call dispatch on channel 3' });
    expect(sent.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await stateOf(sent.body.id)).toBe('sent');
    // Back online: the phone subscribes from the last event it had and is sent the one it missed.
    const { events } = await phone(before);
    const missed = await waitFor(async () => events.find((e) => e.type === 'unit.message' && e.payload.id === sent.body.id) ?? null, 10000, 'the missed message replayed');
    expect((await t.request('POST', `/api/messages/${missed.payload.id}/delivered`, undefined, crew)).status).toBe(200);
    expect(await stateOf(sent.body.id)).toBe('delivered');
    // The crew's own list shows it too (a phone that lost its events reads the list).
    const own = await t.request('GET', `/api/units/${unitId}/messages`, undefined, crew);
    expect(own.status).toBe(200);
    expect(own.body.map((m: any) => m.id)).toContain(sent.body.id);
  });

  it('refuses a blank or overlong text naming the field, an unknown unit or incident, and receipts from anyone but the crew', async () => {
    for (const body of [{ text: '   ' }, { text: 'x'.repeat(501) }, {}, { text: 'ok', incidentId: 'nope' }, { text: 'a\u202eb' }]) {
      const r = await t.request('POST', `/api/units/${unitId}/messages`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toMatch(/text|incidentId/);
    }
    expect((await t.request('POST', '/api/units/NOPE99/messages', { text: 'hi' })).status).toBe(404);
    expect((await t.request('POST', `/api/units/${unitId}/messages`, { text: 'hi', incidentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await t.request('POST', `/api/units/${unitId}/messages`, { text: 'hi' }, crew)).status).toBe(403);
    expect((await t.request('POST', `/api/units/${unitId}/messages`, { text: 'hi' }, await t.signIn('observer'))).status).toBe(403);
    const sent = await t.request('POST', `/api/units/${unitId}/messages`, { text: 'only yours' });
    expect((await t.request('POST', `/api/messages/${sent.body.id}/read`)).status).toBe(403);
    const [{ id: other }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' AND id <> $1 ORDER BY id LIMIT 1`, [unitId]);
    expect((await t.request('POST', `/api/messages/${sent.body.id}/read`, undefined, await t.signIn(String(other).toLowerCase()))).status).toBe(403);
    expect((await t.request('POST', '/api/messages/99999999/read', undefined, crew)).status).toBe(404);
    expect((await t.request('POST', '/api/messages/abc/read', undefined, crew)).status).toBe(404);
    expect(await stateOf(sent.body.id)).toBe('sent');
  });
});
