import { io, Socket } from 'socket.io-client';
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * Several nodes: two API processes and two workers on one Postgres and one Redis. A console on one
 * API sees, exactly once, every event caused through the other (each API relays the event log) and
 * the live AVL posted to the other (socket.io Redis adapter); every job runs once.
 */
describe('two API processes and two workers against one Postgres and one Redis', () => {
  let a: Server;
  let b: Server;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    a = await startServer('two-nodes', { RUN_WORKERS: 'false' });
    b = await startServer('two-nodes', { RUN_WORKERS: 'false' }, a);
    workers.push(await startWorker(a), await startWorker(a));
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await b.stop();
    await a.stop();
  });

  it('a console on one API sees each event caused through the other once, and every job runs once', async () => {
    const token = await a.signIn('commander');
    const got: any[] = [];
    const avl: any[] = [];
    const sock: Socket = await new Promise((resolve) => {
      const s = io(a.url, { transports: ['websocket'], reconnection: false, auth: { token } });
      s.on('event', (e) => got.push(e));
      s.on('avl', (m) => avl.push(m));
      s.on('connect', () => s.emit('subscribe', { lastSeq: null }, () => resolve(s)));
    });

    const calls = realCalls('2017-01-02').slice(0, 16);
    const posted = await Promise.all(calls.map((c, k) => (k % 2 ? a : b).request('POST', '/api/calls', callBody(c))));
    expect(posted.every((p) => p.status === 202)).toBe(true);
    const ids = posted.map((p) => p.body.id);
    await waitFor(async () => {
      const r = await a.db.query(
        `SELECT count(*)::int AS n FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = ANY($1) AND (i.status <> 'received' OR i.last_error IS NOT NULL)`,
        [ids],
      );
      return r.rows[0].n === ids.length;
    }, 30000, 'every call placed and dispatched');
    const incidents = (await a.db.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [ids])).rows.map((r) => r.incident_id);

    // Every job ran once: one incident.created per incident, one assignment.created per assignment,
    // one dispatch per incident (no unit ever held twice).
    const created = (await a.db.query(`SELECT incident_id, count(*)::int AS n FROM incident_event WHERE type = 'incident.created' AND incident_id = ANY($1) GROUP BY incident_id`, [incidents])).rows;
    expect(created.every((r) => r.n === 1)).toBe(true);
    // A linked duplicate more urgent than its incident raises its priority, and an incident already
    // dispatched is then topped up once with what its new plan adds (a second decision, by design): such
    // incidents have at most two; every other incident exactly one.
    const dispatchRuns = (await a.db.query(
      `SELECT incident_id, count(*)::int AS n,
              EXISTS (SELECT 1 FROM incident_event p WHERE p.incident_id = e.incident_id AND p.type = 'incident.priority_changed') AS raised
         FROM incident_event e WHERE type = 'incident.updated' AND actor = 'dispatch' AND incident_id = ANY($1) GROUP BY incident_id`,
      [incidents],
    )).rows;
    expect(dispatchRuns.filter((r) => !r.raised && r.n !== 1)).toEqual([]);
    expect(dispatchRuns.filter((r) => r.raised && (r.n < 1 || r.n > 2))).toEqual([]);
    const perAssignment = (await a.db.query(
      `SELECT count(*)::int AS events, (SELECT count(*)::int FROM assignment WHERE incident_id = ANY($1)) AS rows FROM incident_event WHERE type = 'assignment.created' AND incident_id = ANY($1)`,
      [incidents],
    )).rows[0];
    expect(perAssignment.events).toBe(perAssignment.rows);

    // The console on A saw every one of those events, exactly once (events caused through B included).
    // Every event of those incidents, once the sequencer has given each its position (null until then).
    const expected = await waitFor(async () => {
      const rows = (await a.db.query(`SELECT seq FROM incident_event WHERE incident_id = ANY($1) ORDER BY seq`, [incidents])).rows;
      return rows.every((r) => r.seq !== null) ? rows.map((r) => Number(r.seq)) : null;
    }, 15000, 'every event positioned');
    await waitFor(async () => expected.every((q) => got.some((e) => e.seq === q)), 15000, 'events on the console');
    const seqs = got.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    // Live AVL posted to B reaches the console on A once, through the Redis adapter.
    const [unit] = (await a.db.query(`SELECT id FROM unit ORDER BY id LIMIT 1`)).rows;
    expect((await b.request('POST', `/api/units/${unit.id}/position`, { lat: 37.7901, lon: -122.4101 })).status).toBe(200);
    await waitFor(async () => avl.some((m) => m.positions.some((p: any) => p.unitId === unit.id && p.lat === 37.7901)), 10000, 'AVL from B');
    await new Promise((r) => setTimeout(r, 500));
    expect(avl.filter((m) => m.positions.some((p: any) => p.unitId === unit.id && p.lat === 37.7901))).toHaveLength(1);
    sock.disconnect();
  });
});
