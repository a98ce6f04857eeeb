import { io, Socket } from 'socket.io-client';
import { callBody, realCalls } from './support/sf-fixture';
import { startTestApp, TestApp, waitFor } from './support/test-app';

describe('a console on socket.io sees the incident and assignment events of a real call, and misses nothing across a reconnect', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('socket');
  });
  afterAll(async () => {
    await t.close();
  });

  const connect = (received: any[], lastSeq: number | null): Promise<Socket> =>
    new Promise((resolve) => {
      const s = io(t.url, { transports: ['websocket'], reconnection: false });
      s.on('event', (e) => received.push(e));
      s.on('connect', () => s.emit('subscribe', { lastSeq }, () => resolve(s)));
    });
  const post = (body: unknown) =>
    fetch(`${t.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('pushes incident.created, assignment.created and unit.status in sequence order', async () => {
    const got: any[] = [];
    const s = await connect(got, null);
    const call = realCalls().find((c) => c.type === 'Structure Fire') ?? realCalls()[0];
    expect((await post(callBody(call))).status).toBe(202);
    await waitFor(async () => got.some((e) => e.type === 'assignment.created') && got.some((e) => e.type === 'incident.updated'), 15000, 'events');
    const created = got.find((e) => e.type === 'incident.created');
    expect(created.payload.street.name).toBeTruthy();
    expect(created.payload.district.id).toMatch(/^sf-d\d+$/);
    const assignment = got.find((e) => e.type === 'assignment.created');
    expect(assignment.incidentId).toBe(created.incidentId);
    expect(assignment.payload.assignment.etaSeconds).toBeGreaterThanOrEqual(0);
    const seqs = got.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    s.disconnect();
  });

  it('replays what a client missed while disconnected when it subscribes with its last sequence number', async () => {
    const first: any[] = [];
    const s1 = await connect(first, null);
    const lastSeq: number = (await (await fetch(`${t.url}/api/state`)).json()).lastSeq;
    s1.disconnect();
    const call = realCalls().filter((c) => c.type === 'Medical Incident')[3];
    expect((await post(callBody(call))).status).toBe(202);
    await t.settle(async () => (await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE seq > $1`, [lastSeq]))[0].n >= 3);
    const missedInDb = (await t.ds.query(`SELECT seq FROM incident_event WHERE seq > $1 ORDER BY seq`, [lastSeq])).map((r: any) => Number(r.seq));

    const second: any[] = [];
    const s2 = await connect(second, lastSeq);
    await waitFor(async () => missedInDb.every((q: number) => second.some((e) => e.seq === q)), 10000, 'replay');
    expect(second.every((e) => e.seq > lastSeq)).toBe(true);
    s2.disconnect();
  });
});
