import { ApiError } from '../api';
import { Outbox, type OutboxItem } from './outbox';

/** The browser's localStorage, in memory (the outbox only uses getItem/setItem). */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

describe('the responder outbox sends status changes in order with their own times, and keeps them while offline', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: Storage }).localStorage = memoryStorage();
  });

  it('keeps every change while the network fails, then sends them in order with the tap times', async () => {
    let online = false;
    const sent: OutboxItem[] = [];
    const box = new Outbox('k', async (item) => {
      if (!online) throw new TypeError('Failed to fetch');
      sent.push(item);
      return { applied: true };
    });
    box.add('a1', 'en_route', '2026-11-29T17:00:00.000Z');
    box.add('a1', 'on_scene', '2026-11-29T17:04:00.000Z');
    expect(await box.flush()).toEqual([]);
    expect(box.items().map((i) => i.status)).toEqual(['en_route', 'on_scene']);

    online = true;
    const results = await box.flush();
    expect(results.map((r) => r.outcome)).toEqual(['sent', 'sent']);
    expect(sent.map((i) => [i.status, i.at])).toEqual([
      ['en_route', '2026-11-29T17:00:00.000Z'],
      ['on_scene', '2026-11-29T17:04:00.000Z'],
    ]);
    expect(box.items()).toEqual([]);
  });

  it('drops a change the server refuses (4xx) with its message and goes on; a late report is sent but not applied', async () => {
    const box = new Outbox('k', async (item) => {
      if (item.status === 'transporting') throw new ApiError(409, 'assignment cannot go from en_route to transporting', false);
      return { applied: item.status !== 'acknowledged' };
    });
    box.add('a1', 'acknowledged');
    box.add('a1', 'transporting');
    box.add('a1', 'on_scene');
    const results = await box.flush();
    expect(results).toEqual([
      expect.objectContaining({ outcome: 'sent', applied: false }),
      expect.objectContaining({ outcome: 'refused', message: 'assignment cannot go from en_route to transporting' }),
      expect.objectContaining({ outcome: 'sent', applied: true }),
    ]);
    expect(box.items()).toEqual([]);
  });

  it('stops at a server error (5xx) and keeps that change and the ones after it', async () => {
    const box = new Outbox('k', async () => {
      throw new ApiError(503, 'unavailable', false);
    });
    box.add('a1', 'en_route');
    box.add('a1', 'on_scene');
    expect(await box.flush()).toEqual([]);
    expect(box.items().map((i) => i.status)).toEqual(['en_route', 'on_scene']);
  });
});
