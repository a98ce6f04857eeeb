import { CallOutbox, isOutage, offlineCallNumber, OutboxStorage } from './call-outbox';
import { callFate, fateText } from './offline-audit';

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
    for (const c of sent) expect((c as { callNumber: string }).callNumber).toMatch(/^OFF-20261204T10\d{4}Z-/);
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

  it('gives each call its own number (the time taken, sortable), so a replayed sync is placed once', async () => {
    expect(offlineCallNumber(new Date('2026-12-04T10:00:00.123Z'), () => 0.5)).toMatch(/^OFF-20261204T100000Z-[0-9a-z]{6}$/);
    const storage = new MemoryStorage();
    const box = new CallOutbox(storage);
    box.keep(call('Medical Incident'), new Date('2026-12-04T10:00:00Z'));
    box.keep(call('Structure Fire'), new Date('2026-12-04T10:01:00Z'));
    const before = storage.getItem('cad.callOutbox')!;
    // CAD as the API is: a call number received already answers the first call's id, duplicate.
    const stored = new Map<string, string>();
    const send = async (c: { callNumber: string }) => {
      const id = stored.get(c.callNumber);
      if (id) return { id, duplicate: true };
      stored.set(c.callNumber, `call-${stored.size + 1}`);
      return { id: stored.get(c.callNumber)! };
    };
    await box.flush(send);
    // The answers were lost (a reload mid-flush, a second tab): the same calls are sent again.
    storage.setItem('cad.callOutbox', before);
    const again = await new CallOutbox(storage).flush(send);
    expect(stored.size).toBe(2);
    expect(again.sent.map((x) => x.callId)).toEqual(['call-1', 'call-2']);
    const synced = box.synced();
    expect(synced.map((x) => [x.call.type, x.callId, x.repeated ?? false])).toEqual([
      ['Medical Incident', 'call-1', true],
      ['Structure Fire', 'call-2', true],
    ]);
    expect([...stored.keys()].sort()).toEqual([...stored.keys()]); // numbers sort in the order taken
  });

  it('tells, for the audit, what became of each synced call: placed, linked, offered as a duplicate, refused, being placed', () => {
    const box = new CallOutbox(new MemoryStorage());
    const c = box.keep(call('Medical Incident'), new Date('2026-12-04T10:00:00Z'));
    const numberOf = (id: string) => ({ i1: 'C-000101', i2: 'C-000099' })[id] ?? id;
    const sent = { call: c, sentAt: '2026-12-04T10:05:00Z', callId: 'k1' };
    expect(callFate(sent, { incidentId: 'i1', linked: false, suggestedIncidentId: null }, numberOf)).toEqual({ kind: 'placed', incident: 'C-000101' });
    expect(callFate(sent, { incidentId: 'i2', linked: true, suggestedIncidentId: null }, numberOf)).toEqual({ kind: 'linked', incident: 'C-000099' });
    const offered = callFate(sent, { incidentId: 'i1', linked: false, suggestedIncidentId: 'i2' }, numberOf);
    expect(offered).toEqual({ kind: 'offered', incident: 'C-000101', duplicateOf: 'C-000099' });
    expect(fateText(offered)).toBe('placed as incident C-000101; offered as a possible duplicate of C-000099');
    // Hostile twins: refused by CAD, or not placed yet (or its placement could not be read).
    const refused = callFate({ call: c, sentAt: sent.sentAt, error: 'lat/lon is 9 km outside every jurisdiction' }, null, numberOf);
    expect(fateText(refused)).toBe('refused: lat/lon is 9 km outside every jurisdiction (kept on this console)');
    expect(callFate(sent, { incidentId: null, linked: false, suggestedIncidentId: null }, numberOf)).toEqual({ kind: 'pending' });
    expect(callFate(sent, null, numberOf)).toEqual({ kind: 'pending' });
  });

  it('takes a network failure or 5xx as CAD down, a refusal as not', () => {
    expect(isOutage(new TypeError('Failed to fetch'))).toBe(true);
    expect(isOutage(status(503))).toBe(true);
    expect(isOutage(status(422))).toBe(false);
    expect(isOutage(null)).toBe(false);
  });
});
