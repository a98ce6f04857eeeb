import { io, Socket } from 'socket.io-client';
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * An API process restarts while calls keep arriving through another API node: the console connected
 * to it reconnects by itself (socket.io backoff), re-subscribes with its last sequence number, and
 * ends with every event, none twice, all in sequence order.
 */
describe('an API process restarts', () => {
  let a: Server;
  let b: Server;
  let worker: WorkerProcess;
  beforeAll(async () => {
    a = await startServer('api-restart', { RUN_WORKERS: 'false' });
    b = await startServer('api-restart', { RUN_WORKERS: 'false' }, a);
    worker = await startWorker(a);
  });
  afterAll(async () => {
    await worker.stop();
    await b.stop();
    await a.stop();
  });

  it('consoles reconnect and miss no event', async () => {
    const port = new URL(a.url).port;
    const token = await a.signIn('commander');
    const got: any[] = [];
    let lastSeq: number | null = (await a.request('GET', '/api/state')).body.lastSeq;
    let connects = 0;
    // The console's own protocol: remember the highest seq, send it on every (re)connect.
    const sock: Socket = io(a.url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    sock.on('connect', () => {
      connects++;
      sock.emit('subscribe', { lastSeq });
    });
    sock.on('event', (e) => {
      got.push(e);
      lastSeq = Math.max(lastSeq ?? 0, e.seq);
    });
    await waitFor(async () => connects === 1, 10000, 'first connect');

    const calls = realCalls('2017-01-03').slice(0, 12);
    const first = await b.request('POST', '/api/calls', callBody(calls[0]));
    expect(first.status).toBe(202);
    await a.stop();
    // While A is down, work goes on through B.
    const during = await Promise.all(calls.slice(1, 8).map((c) => b.request('POST', '/api/calls', callBody(c))));
    expect(during.every((r) => r.status === 202)).toBe(true);
    a = await startServer('api-restart', { RUN_WORKERS: 'false', PORT: port }, b);
    await waitFor(async () => connects >= 2, 20000, 'reconnect to the restarted API');
    const after = await Promise.all(calls.slice(8).map((c) => a.request('POST', '/api/calls', callBody(c))));
    expect(after.every((r) => r.status === 202)).toBe(true);

    const ids = [first, ...during, ...after].map((r) => r.body.id);
    await waitFor(async () => {
      const r = await b.db.query(`SELECT count(*)::int AS n FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = ANY($1) AND (i.status <> 'received' OR i.last_error IS NOT NULL)`, [ids]);
      return r.rows[0].n === ids.length;
    }, 30000, 'every call dispatched');
    const incidents = (await b.db.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [ids])).rows.map((r) => r.incident_id);
    // Every event of those incidents, once the sequencer has given each its position (null until then).
    const expected = await waitFor(async () => {
      const rows = (await b.db.query(`SELECT seq FROM incident_event WHERE incident_id = ANY($1) ORDER BY seq`, [incidents])).rows;
      return rows.every((r) => r.seq !== null) ? rows.map((r) => Number(r.seq)) : null;
    }, 15000, 'every event positioned');
    await waitFor(async () => expected.every((q) => got.some((e) => e.seq === q)), 45000, 'every event on the console');
    const seqs = got.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    // Replayed and live events arrive in sequence order (the relay holds live events during a replay).
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    sock.disconnect();
  });
});
