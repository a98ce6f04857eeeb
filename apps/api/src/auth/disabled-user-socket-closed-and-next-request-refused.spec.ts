import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/** Opens a signed-in socket.io connection and subscribes; answers it with every disconnect reason it will get. */
async function openSocket(t: TestApp, token: string): Promise<{ sock: Socket; reasons: string[] }> {
  const reasons: string[] = [];
  const sock = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
  sock.on('disconnect', (r) => reasons.push(r));
  const ack = await new Promise<any>((resolve, reject) => {
    sock.on('connect_error', reject);
    sock.on('connect', () => sock.emit('subscribe', { lastSeq: null }, resolve));
  });
  expect(ack.ok).toBe(true);
  return { sock, reasons };
}

/** Answers the socket.io handshake's outcome for a token: `connected` or the refusal. */
function handshake(t: TestApp, token: string): Promise<string> {
  return new Promise((resolve) => {
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    s.on('connect_error', (e) => resolve(e.message));
    s.on('connect', () => {
      s.disconnect();
      resolve('connected');
    });
  });
}

/**
 * Sessions end at once: disabling an account closes its open sockets and refuses its next request
 * (and its next sign-in); a sign-out, a password reset or a new post end every session of the account
 * (every token it holds), while other accounts carry on. Only the city commander manages accounts,
 * and the last commander who can sign in cannot be disabled.
 */
describe('a disabled user’s open socket is closed and its next request refused', () => {
  let t: TestApp;
  const idOf = async (username: string) => ((await t.request('GET', '/api/users')).body as any[]).find((u) => u.username === username).id as string;
  beforeAll(async () => {
    t = await startTestApp('sessions');
  });
  afterAll(async () => {
    await t.close();
  });

  it('disabling closes the open socket at once, refuses the next request, the sign-in and a new socket', async () => {
    const token = await t.signIn('d3');
    const other = await t.signIn('d4');
    const mine = await openSocket(t, token);
    const theirs = await openSocket(t, other);
    const disabled = await t.request('PATCH', `/api/users/${await idOf('d3')}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    await waitFor(async () => mine.reasons.length > 0, 5000, 'the disabled account’s socket to close');
    expect(mine.reasons).toEqual(['io server disconnect']);
    const next = await t.request('GET', '/api/incidents', undefined, token);
    expect(next.status).toBe(401);
    expect((await t.request('POST', '/api/auth/sign-in', { username: 'd3', password: t.config.DEMO_PASSWORD }, null)).status).toBe(401);
    expect(await handshake(t, token)).toMatch(/disabled|session has ended/);
    // Another account is untouched.
    expect(theirs.sock.connected).toBe(true);
    expect((await t.request('GET', '/api/incidents', undefined, other)).status).toBe(200);
    theirs.sock.disconnect();
    // Enabled again: a new sign-in works, the old token stays dead.
    expect((await t.request('PATCH', `/api/users/${await idOf('d3')}`, { disabled: false })).body.disabled).toBe(false);
    const fresh = await t.signIn('d3');
    expect((await t.request('GET', '/api/incidents', undefined, fresh)).status).toBe(200);
    expect((await t.request('GET', '/api/incidents', undefined, token)).status).toBe(401);
    const audit = (await t.request('GET', '/api/audit?subject=user:d3&action=user.*')).body as any[];
    expect(audit.map((a) => a.action)).toEqual(['user.enable', 'user.disable']);
    expect(audit[1].before.disabled).toBe(false);
    expect(audit[1].after.disabled).toBe(true);
  });

  it('a sign-out ends every session of the account, on every device', async () => {
    const phone = await t.signIn('d5');
    const desk = await t.signIn('d5');
    const sock = await openSocket(t, desk);
    expect((await t.request('POST', '/api/auth/sign-out', undefined, phone)).status).toBe(204);
    await waitFor(async () => sock.reasons.length > 0, 5000, 'the signed-out account’s socket to close');
    expect((await t.request('GET', '/api/auth/me', undefined, phone)).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', undefined, desk)).status).toBe(401);
    // An observer may sign out too (its only non-read action).
    const observer = await t.signIn('observer');
    expect((await t.request('POST', '/api/auth/sign-out', undefined, observer)).status).toBe(204);
  });

  it('a password reset and a new post end the sessions; a weak password and a post that does not fit are refused', async () => {
    const id = await idOf('d6');
    const old = await t.signIn('d6');
    const weak = await t.request('POST', `/api/users/${id}/password`, { password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/^password is too easy to guess/);
    expect((await t.request('GET', '/api/auth/me', undefined, old)).status).toBe(200);
    expect((await t.request('POST', `/api/users/${id}/password`, { password: 'Copper-kettle-48-evening' })).status).toBe(201);
    expect((await t.request('GET', '/api/auth/me', undefined, old)).status).toBe(401);
    const signedIn = await t.request('POST', '/api/auth/sign-in', { username: 'd6', password: 'Copper-kettle-48-evening' }, null);
    expect(signedIn.status).toBe(200);
    const misfit = await t.request('PATCH', `/api/users/${id}`, { role: 'street_dispatcher', jurisdictionId: 'sf-d6' });
    expect(misfit.status).toBe(400);
    expect(misfit.body.message).toContain('jurisdictionId must be a street');
    const moved = await t.request('PATCH', `/api/users/${id}`, { jurisdictionId: 'sf-d2' });
    expect(moved.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', undefined, signedIn.body.token)).status).toBe(401);
    const again = await t.request('POST', '/api/auth/sign-in', { username: 'd6', password: 'Copper-kettle-48-evening' }, null);
    expect(again.body.user.jurisdictionId).toBe('sf-d2');
    const log = (await t.request('GET', '/api/audit?subject=user:d6')).body as any[];
    expect(log.map((a) => a.action)).toEqual(['sign-in', 'user.post-change', 'sign-in', 'user.password-reset', 'sign-in']);
    expect(JSON.stringify(log)).not.toContain('Copper-kettle');
  });

  it('an account changes its own password with the current one: its other sessions end, a wrong current password is refused', async () => {
    const desk = await t.signIn('d8');
    const phone = await t.signIn('d8');
    const wrong = await t.request('POST', '/api/auth/password', { currentPassword: 'not-it', newPassword: 'Maple-harbour-29-signal' }, phone);
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toBe('currentPassword is wrong');
    const weak = await t.request('POST', '/api/auth/password', { currentPassword: t.config.DEMO_PASSWORD, newPassword: 'd8d8d8d8d8d8' }, phone);
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/^newPassword /);
    const changed = await t.request('POST', '/api/auth/password', { currentPassword: t.config.DEMO_PASSWORD, newPassword: 'Maple-harbour-29-signal' }, phone);
    expect(changed.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', undefined, desk)).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', undefined, phone)).status).toBe(401);
    expect((await t.request('GET', '/api/auth/me', undefined, changed.body.token)).status).toBe(200);
    expect((await t.request('POST', '/api/auth/sign-in', { username: 'd8', password: t.config.DEMO_PASSWORD }, null)).status).toBe(401);
    const actions = ((await t.request('GET', '/api/audit?subject=user:d8&action=user.*')).body as any[]).map((a) => a.action);
    expect(actions).toEqual(['user.password-change', 'user.password-change.failed']);
  });

  it('creates an account that signs in, refuses a taken username, and lets no one but the commander manage accounts', async () => {
    const created = await t.request('POST', '/api/users', { username: 'a.reyes', displayName: 'Ana Reyes', role: 'street_dispatcher', jurisdictionId: 'sf-d3-nob-hill', password: 'Granite-sparrow-63-window' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    const token = (await t.request('POST', '/api/auth/sign-in', { username: 'a.reyes', password: 'Granite-sparrow-63-window' }, null)).body.token;
    expect((await t.request('GET', '/api/auth/me', undefined, token)).body.jurisdictionId).toBe('sf-d3-nob-hill');
    const taken = await t.request('POST', '/api/users', { username: 'a.reyes', displayName: 'Other', role: 'observer', jurisdictionId: 'sf', password: 'Granite-sparrow-63-window' });
    expect(taken.status).toBe(409);
    const responder = await t.request('POST', '/api/users', { username: 'crew.e38', displayName: 'E38 crew', role: 'responder', password: 'Granite-sparrow-63-window' });
    expect(responder.body.message).toBe('unitId is required for a responder');
    for (const who of ['d2', 'observer', 'e38', 'a.reyes']) {
      const tok = who === 'a.reyes' ? token : await t.signIn(who);
      expect([who, (await t.request('GET', '/api/users', undefined, tok)).status]).toEqual([who, 403]);
      expect([who, (await t.request('PATCH', `/api/users/${await idOf('d7')}`, { disabled: true }, tok)).status]).toEqual([who, 403]);
    }
  });

  it('the last commander who can sign in cannot be disabled or moved off the post', async () => {
    // The demo city has two commanders (alerts need a second to approve): the second may go…
    const second = await idOf('commander2');
    expect((await t.request('PATCH', `/api/users/${second}`, { disabled: true })).status).toBe(200);
    // …and then the one left is the last who can sign in.
    const id = await idOf('commander');
    const off = await t.request('PATCH', `/api/users/${id}`, { disabled: true });
    expect(off.status).toBe(409);
    expect(off.body.message).toContain('last active city commander');
    expect((await t.request('PATCH', `/api/users/${id}`, { role: 'observer' })).status).toBe(409);
    expect((await t.request('GET', '/api/auth/me')).status).toBe(200);
  });
});
