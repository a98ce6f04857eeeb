import { CallOutbox, isOutage, OutboxStorage } from './call-outbox';

class MemoryStorage implements OutboxStorage {
  private readonly m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

const call = (type: string) => ({ type, priority: 1 as const, lat: 37.79, lon: -122.41, source: 'hotline' as const });
const status = (s: number) => Object.assign(new Error(`HTTP ${s}`), { status: s });

describe('calls taken on the console while CAD is down', () => {
  it('are kept with the time taken and sent in order, flagged taken offline, once CAD answers', async () => {
    const box = new CallOutbox(new MemoryStorage());
    box.keep(call('Medical Incident'), new Date('2026-12-04T10:00:00Z'));
    box.keep(call('Structure Fire'), new Date('2026-12-04T10:01:00Z'));
    box.keep(call('Traffic Collision'), new Date('2026-12-04T10:02:00Z'));
    const sent: unknown[] = [];
    const r = await box.flush(async (c) => {
      sent.push(c);
      return { id: `call-${sent.length}` };
    });
    expect(sent.map((c) => (c as { type: string }).type)).toEqual(['Medical Incident', 'Structure Fire', 'Traffic Collision']);
    expect(sent.map((c) => (c as { receivedAt: string }).receivedAt)).toEqual(['2026-12-04T10:00:00.000Z', '2026-12-04T10:01:00.000Z', '2026-12-04T10:02:00.000Z']);
    for (const c of sent) expect(c).toMatchObject({ takenOffline: true });
    for (const c of sent) expect(c).not.toHaveProperty('outboxId');
    expect(r).toMatchObject({ waiting: 0, refused: [] });
    expect(r.sent.map((s) => s.callId)).toEqual(['call-1', 'call-2', 'call-3']);
    expect(box.list()).toEqual([]);
  });

  it('stops at the first failure that means CAD is still down and keeps the rest, in order', async () => {
    const box = new CallOutbox(new MemoryStorage());
    box.keep(call('A'));
    box.keep(call('B'));
    let n = 0;
    const r = await box.flush(async () => {
      if (++n === 2) throw new TypeError('Failed to fetch');
      return { id: 'x' };
    });
    expect(r.sent).toHaveLength(1);
    expect(r.waiting).toBe(1);
    expect(box.list().map((c) => c.type)).toEqual(['B']);
    await expect(box.flush(async () => Promise.reject(status(503)))).resolves.toMatchObject({ waiting: 1 });
  });

  it('keeps a call the server refuses aside with the reason, never dropping it, and sends the next', async () => {
    const box = new CallOutbox(new MemoryStorage());
    box.keep(call('Bad'));
    box.keep(call('Good'));
    const r = await box.flush(async (c) => {
      if (c.type === 'Bad') throw status(400);
      return { id: 'ok' };
    });
    expect(r.sent).toHaveLength(1);
    expect(box.refused().map((x) => [x.call.type, x.error])).toEqual([['Bad', 'HTTP 400']]);
    expect(box.list()).toEqual([]);
  });

  it('survives a reload: the outbox is in storage', () => {
    const storage = new MemoryStorage();
    new CallOutbox(storage).keep(call('Kept'));
    expect(new CallOutbox(storage).list().map((c) => c.type)).toEqual(['Kept']);
    storage.setItem('cad.callOutbox', '{not json');
    expect(new CallOutbox(storage).list()).toEqual([]);
  });

  it('takes a network failure or 5xx as CAD down, a refusal as not', () => {
    expect(isOutage(new TypeError('Failed to fetch'))).toBe(true);
    expect(isOutage(status(503))).toBe(true);
    expect(isOutage(status(422))).toBe(false);
    expect(isOutage(null)).toBe(false);
  });
});
