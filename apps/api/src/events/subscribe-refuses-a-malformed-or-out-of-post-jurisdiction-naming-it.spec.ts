import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp } from '../testing/test-app';

interface Ack {
  ok: boolean;
  error?: string;
}

/**
 * `subscribe { jurisdictionId }` is checked before any room is joined: a non-string (`{"$ne":1}`) used
 * to be answered ok and silently replaced by the post; an unknown id, one outside the account's post,
 * and any jurisdiction sent by a responder (who follows its own unit; `'sf'` used to be answered ok and
 * ignored) are refused too, each with `{ ok: false, error }` naming `jurisdictionId`. The valid cases
 * (the post itself, a district inside a commander's city, a responder following its unit) are answered ok.
 */
describe('subscribe refuses a malformed or out-of-post jurisdiction, naming it', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('subscribe-jurisdiction');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A connected socket signed in with `token`. */
  const connect = async (token: string) => {
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.on('connect', () => resolve());
      s.on('connect_error', reject);
    });
    return s;
  };
  const subscribe = (s: Socket, body: unknown) => new Promise<Ack>((resolve) => s.emit('subscribe', body, resolve));

  it('refuses a non-string, an unknown and an out-of-post jurisdiction and accepts those inside the post', async () => {
    const commander = await connect(t.token);
    for (const jurisdictionId of [{ $ne: 1 }, 1, ['sf'], true]) {
      expect(await subscribe(commander, { lastSeq: null, jurisdictionId })).toEqual({ ok: false, error: expect.stringMatching(/^jurisdictionId /) });
    }
    expect(await subscribe(commander, { lastSeq: null, jurisdictionId: 'atlantis' })).toEqual({ ok: false, error: expect.stringMatching(/^jurisdictionId: unknown jurisdiction atlantis/) });
    expect(await subscribe(commander, { lastSeq: null, jurisdictionId: 'sf', unitId: 'E28' })).toEqual({ ok: false, error: expect.stringMatching(/jurisdictionId and unitId/) });
    expect(await subscribe(commander, { lastSeq: null, unitId: { $ne: 1 } })).toEqual({ ok: false, error: expect.stringMatching(/^unitId /) });
    expect((await subscribe(commander, { lastSeq: null, jurisdictionId: 'sf' })).ok).toBe(true);
    expect((await subscribe(commander, { lastSeq: null, jurisdictionId: 'sf-d3' })).ok).toBe(true);
    expect((await subscribe(commander, { lastSeq: null, jurisdictionId: null })).ok).toBe(true);

    const district = await connect(await t.signIn('d3'));
    expect(await subscribe(district, { lastSeq: null, jurisdictionId: 'sf' })).toEqual({ ok: false, error: 'jurisdictionId: jurisdiction sf is outside sf-d3' });
    expect(await subscribe(district, { lastSeq: null, jurisdictionId: { $ne: 1 } })).toEqual({ ok: false, error: expect.stringMatching(/^jurisdictionId /) });
    expect((await subscribe(district, { lastSeq: null })).ok).toBe(true);
    expect((await subscribe(district, { lastSeq: null, jurisdictionId: 'sf-d3' })).ok).toBe(true);
  });

  it('refuses any jurisdiction from a responder, who follows its own unit', async () => {
    const [{ id }] = await t.ds.query(`SELECT id FROM unit WHERE world = 'live' ORDER BY id LIMIT 1`);
    const phone = await connect(await t.signIn(String(id).toLowerCase()));
    expect(await subscribe(phone, { lastSeq: null, jurisdictionId: 'sf' })).toEqual({ ok: false, error: expect.stringMatching(/^jurisdictionId is not accepted from a responder/) });
    expect(await subscribe(phone, { lastSeq: null, jurisdictionId: { $ne: 1 } })).toEqual({ ok: false, error: expect.stringMatching(/^jurisdictionId /) });
    expect((await subscribe(phone, { lastSeq: null })).ok).toBe(true);
    expect((await subscribe(phone, { lastSeq: null, unitId: id })).ok).toBe(true);
  });
});
