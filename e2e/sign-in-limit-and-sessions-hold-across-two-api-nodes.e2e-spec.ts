import { io } from 'socket.io-client';
import { waitFor } from '@cad/db/testing';
import { startServer, Server } from './support/server';

/**
 * Two API processes on one Postgres and one Redis act as one system for accounts: the sign-in limit
 * is counted in Redis, so an attacker spreading guesses over both nodes gets no more than one node
 * allows (and another account is not locked out by it); disabling an account through one node closes
 * its socket on the other and the other refuses its next request.
 */
describe('sign-in limits and ended sessions hold across two API processes', () => {
  let a: Server;
  let b: Server;
  const LIMIT = 4;
  beforeAll(async () => {
    const env = { RUN_WORKERS: 'false', SIGNIN_RATE_PER_MIN: String(LIMIT) };
    a = await startServer('two-node-limits', env);
    b = await startServer('two-node-limits', env, a);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const guess = (s: Server, username: string) =>
    fetch(`${s.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'not-the-password' }) }).then((r) => r.status);

  it('guesses spread over both nodes meet one limit, and another account is not locked out', async () => {
    const statuses: number[] = [];
    for (let k = 0; k < LIMIT; k++) statuses.push(await guess(k % 2 ? b : a, 'd3'));
    expect(statuses).toEqual(Array(LIMIT).fill(401));
    // One node alone would still allow these (each has seen only LIMIT / 2): together they are over.
    expect(await guess(a, 'd3')).toBe(429);
    expect(await guess(b, 'd3')).toBe(429);
    expect(await guess(b, 'd4')).toBe(401);
    const failed = await a.db.query(`SELECT COUNT(*)::int AS n FROM audit_event WHERE action = 'sign-in.failed' AND actor = 'd3'`);
    expect(failed.rows[0].n).toBe(LIMIT);
  });

  it('disabling an account through one node closes its socket on the other and the other refuses its next request', async () => {
    const token = await b.signIn('d5');
    const reasons: string[] = [];
    const sock = io(b.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    sock.on('disconnect', (r) => reasons.push(r));
    await new Promise((resolve) => sock.on('connect', () => sock.emit('subscribe', { lastSeq: null }, resolve)));
    expect((await b.request('GET', '/api/auth/me', undefined, token)).status).toBe(200);
    const users = (await a.request('GET', '/api/users')).body as any[];
    const id = users.find((u) => u.username === 'd5').id;
    expect((await a.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    await waitFor(async () => reasons.length > 0, 10000, 'the socket on the other node to close');
    expect(reasons).toEqual(['io server disconnect']);
    expect((await b.request('GET', '/api/auth/me', undefined, token)).status).toBe(401);
  });
});
