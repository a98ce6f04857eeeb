import { ASSIGNMENT_FLOW } from '../types';
import { newestStatus, Outbox } from './outbox';

/**
 * The responder's task card after its outbox flushes: the task it loaded before still says
 * `dispatched`, and a reload may read the task just before the report committed. The card shows the
 * newest of what was queued, what the server answered as recorded, and what was loaded, so it never
 * flicks back to an older status.
 */
describe('the task card never shows a status older than the one recorded', () => {
  beforeEach(() => {
    const m = new Map<string, string>();
    (globalThis as { localStorage?: Partial<Storage> }).localStorage = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, String(v)) };
  });

  it('takes the newest along the task flow, whatever order the statuses come in', () => {
    expect(newestStatus(ASSIGNMENT_FLOW, 'dispatched', 'on_scene', undefined)).toBe('on_scene');
    expect(newestStatus(ASSIGNMENT_FLOW, 'on_scene', 'en_route')).toBe('on_scene'); // a stale reload after an answer
    expect(newestStatus(ASSIGNMENT_FLOW, 'transporting', 'on_scene', 'en_route')).toBe('transporting'); // moved on elsewhere: newer wins
    expect(newestStatus(ASSIGNMENT_FLOW, undefined, undefined)).toBeUndefined();
    expect(newestStatus(ASSIGNMENT_FLOW, 'not-a-status', 'dispatched')).toBe('dispatched');
  });

  it('hands the status the server recorded back with each sent report, also when it was not applied', async () => {
    const answers: Record<string, unknown> = {
      en_route: { applied: true, assignment: { id: 'a1', status: 'en_route' } },
      on_scene: { applied: false, assignment: { id: 'a1', status: 'transporting' } }, // a newer status stood
    };
    const box = new Outbox('k', async (item) => answers[item.status]);
    box.add('a1', 'en_route');
    box.add('a1', 'on_scene');
    const results = await box.flush();
    expect(results.map((r) => (r.outcome === 'sent' ? [r.item.status, r.applied, r.recorded] : null))).toEqual([
      ['en_route', true, 'en_route'],
      ['on_scene', false, 'transporting'],
    ]);
    expect(box.items()).toEqual([]);
    // With the queue empty and the loaded task still at dispatched, the card shows what was recorded.
    const recorded = results.reduce<string | undefined>((s, r) => (r.outcome === 'sent' ? newestStatus(ASSIGNMENT_FLOW, s, r.applied ? r.item.status : undefined, r.recorded) : s), undefined);
    expect(newestStatus(ASSIGNMENT_FLOW, 'dispatched', recorded)).toBe('transporting');
  });
});
