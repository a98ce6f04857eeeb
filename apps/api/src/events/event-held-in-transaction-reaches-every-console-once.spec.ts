import { io, Socket } from 'socket.io-client';
import type { CadEvent } from '@cad/domain';
import { EventsService } from './events.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * One event is held in an open transaction for 10 s while 1,000 later events commit one by one. Two
 * consoles stay connected; a third disconnects mid-way and reconnects with its last sequence number.
 * The open transaction holds nothing back (the 1,000 reach every console while it is still open), and
 * when it commits its event reaches every console too: each ends with all 1,001 events exactly once,
 * in sequence order. The held transaction is this file's own (its own database), and the sequencer
 * never waits on transactions, so it could not hold another test file's consoles either.
 */
describe('an event held in a transaction for 10 s while 1,000 later events commit', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('held-event');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A console: connects, subscribes with `lastSeq`, and records every event in arrival order. */
  const console_ = (lastSeq: number, got: CadEvent[]) =>
    new Promise<Socket>((resolve, reject) => {
      const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token: t.token } });
      sockets.push(s);
      s.on('event', (e: CadEvent) => got.push(e));
      s.on('connect_error', reject);
      s.on('connect', () =>
        s.emit('subscribe', { lastSeq, jurisdictionId: 'sf' }, (ack: { ok: boolean; error?: string }) => (ack.ok ? resolve(s) : reject(new Error(ack.error)))),
      );
    });

  it('every console gets all 1,001 events once, in order, and the later ones without waiting', async () => {
    const events = t.app.get(EventsService);
    const run = `held-${Date.now()}`;
    const mine = (got: CadEvent[]) => got.filter((e) => (e.payload as { run?: string }).run === run);
    const append = (m: Parameters<EventsService['append']>[0], n: number) =>
      events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { run, n } as never });
    const start = await events.lastSeq();
    const a: CadEvent[] = [];
    const b: CadEvent[] = [];
    const c: CadEvent[] = [];
    await console_(start, a);
    await console_(start, b);
    const third = await console_(start, c);

    const held = t.ds.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    await append(held.manager, 0);
    const heldSince = Date.now();

    let reconnected: Promise<Socket> | null = null;
    for (let n = 1; n <= 1000; n++) {
      await t.ds.transaction((m) => append(m, n));
      if (n === 400) third.disconnect();
      if (n === 700) reconnected = console_(Math.max(start, ...c.map((e) => e.seq)), c);
    }
    await reconnected;
    // The open transaction holds nothing back: the 1,000 later events reach every console meanwhile.
    await waitFor(async () => [a, b, c].every((got) => mine(got).length >= 1000), 60_000, '1,000 later events on every console');
    for (const got of [a, b, c]) expect(mine(got).some((e) => (e.payload as { n: number }).n === 0)).toBe(false);

    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - heldSince))));
    await held.commitTransaction();
    await held.release();
    await waitFor(async () => [a, b, c].every((got) => mine(got).length >= 1001), 30_000, 'the held event on every console');
    await new Promise((r) => setTimeout(r, 500)); // nothing arrives twice after a short while either

    const rows: { seq: string }[] = await t.ds.query(`SELECT seq FROM incident_event WHERE payload->>'run' = $1 ORDER BY seq`, [run]);
    const logged = rows.map((r) => Number(r.seq));
    expect(logged).toHaveLength(1001);
    const [heldRow]: { seq: string }[] = await t.ds.query(`SELECT seq FROM incident_event WHERE payload->>'run' = $1 AND payload->>'n' = '0'`, [run]);
    // It committed last, so it is positioned last: after all 1,000 it was inserted before.
    expect(Number(heldRow.seq)).toBe(logged[logged.length - 1]);
    for (const got of [a, b, c]) {
      const seqs = mine(got).map((e) => e.seq);
      expect(seqs).toEqual(logged); // all, once each, in sequence order
      const all = got.map((e) => e.seq);
      expect([...all].sort((x, y) => x - y)).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
    }
  });
});
