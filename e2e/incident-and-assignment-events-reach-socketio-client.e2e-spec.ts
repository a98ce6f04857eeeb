import { io, Socket } from 'socket.io-client';
import { callBody, realCalls, waitFor } from '@cad/db/testing';
import { startServer, Server } from './support/server';

describe('a console on socket.io sees the incident and assignment events of a real call, and misses nothing across a reconnect', () => {
  let s: Server;
  let token: string;
  beforeAll(async () => {
    s = await startServer('socket');
    token = await s.signIn('commander');
  });
  afterAll(async () => {
    await s.stop();
  });

  const connect = (received: any[], lastSeq: number | null): Promise<Socket> =>
    new Promise((resolve) => {
      const sock = io(s.url, { transports: ['websocket'], reconnection: false, auth: { token } });
      sock.on('event', (e) => received.push(e));
      sock.on('connect', () => sock.emit('subscribe', { lastSeq }, () => resolve(sock)));
    });
  const post = (body: unknown) =>
    fetch(`${s.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  it('pushes incident.created, assignment.created and unit.status in sequence order', async () => {
    const got: any[] = [];
    const sock = await connect(got, null);
    const call = realCalls().find((c) => c.type === 'Structure Fire') ?? realCalls()[0];
    expect((await post(callBody(call))).status).toBe(202);
    await waitFor(async () => got.some((e) => e.type === 'assignment.created') && got.some((e) => e.type === 'incident.updated'), 15000, 'events');
    const created = got.find((e) => e.type === 'incident.created');
    expect(created.payload.street.name).toBeTruthy();
    expect(created.payload.district.id).toMatch(/^sf-d\d+$/);
    const assignment = got.find((e) => e.type === 'assignment.created');
    expect(assignment.incidentId).toBe(created.incidentId);
    expect(assignment.payload.assignment.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(got.some((e) => e.type === 'unit.status' && e.payload.status === 'dispatched')).toBe(true);
    const seqs = got.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    sock.disconnect();
  });

  it('replays what a client missed while disconnected when it subscribes with its last sequence number', async () => {
    const first: any[] = [];
    const s1 = await connect(first, null);
    const { lastSeq } = (await s.request('GET', '/api/state')).body as { lastSeq: number };
    s1.disconnect();
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[3];
    expect((await post(callBody(call))).status).toBe(202);
    const missed = await waitFor(async () => {
      const r = await s.db.query(`SELECT seq FROM incident_event WHERE seq > $1 AND type = 'incident.updated' LIMIT 1`, [lastSeq]);
      if (r.rowCount === 0) return null;
      return (await s.db.query(`SELECT seq FROM incident_event WHERE seq > $1 ORDER BY seq`, [lastSeq])).rows.map((x) => Number(x.seq));
    }, 15000, 'dispatch of the missed call');

    const second: any[] = [];
    const s2 = await connect(second, lastSeq);
    await waitFor(async () => missed.every((q) => second.some((e) => e.seq === q)), 10000, 'replay');
    expect(second.every((e) => e.seq > lastSeq)).toBe(true);
    s2.disconnect();
  });
});
