import type { MapContext } from './map/base';
import { ConsoleState } from './state/console-state';
import { anEvent } from './testing/views';
import type { CadEvent } from './types';

/**
 * The selected incident's timeline is read over REST when it is selected. Under load that read can be
 * answered from before an escalation committed while the escalation's event reaches the socket first:
 * the console dropped such an event (it had no timeline to add it to yet) and the line never showed.
 */
describe("the selected incident's timeline keeps an event that came live while its REST read was pending", () => {
  const created = anEvent(1, 'incident.created', {});
  const escalated = anEvent(7, 'incident.escalated', { fromTier: 'street', toTier: 'district', reason: 'manual' });
  const dispatched = anEvent(4, 'assignment.created', {});
  const state = () => {
    const s = new ConsoleState({} as MapContext);
    s.selectedId = 'i1';
    s.resetTimeline();
    return s;
  };
  /** A timeline read held in flight: `land` answers it. */
  const pendingRead = (s: ConsoleState) => {
    let land: (events: CadEvent[]) => void = () => undefined;
    const adopted = s.loadTimeline(() => new Promise<CadEvent[]>((r) => (land = r)));
    return { adopted, land: (events: CadEvent[]) => land(events) };
  };

  it('an event that arrives before the read lands shows once the read (taken before it committed) lands', async () => {
    const s = state();
    const read = pendingRead(s);
    s.noteSelectedEvent(escalated);
    expect(s.timeline).toBeUndefined();
    read.land([created, dispatched]);
    await read.adopted;
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it('a read that already holds the live event shows it once', async () => {
    const s = state();
    const read = pendingRead(s);
    s.noteSelectedEvent(escalated);
    read.land([created, dispatched, escalated]);
    await read.adopted;
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it('an event after the read is added in sequence order, once even when delivered twice', async () => {
    const s = state();
    const read = pendingRead(s);
    read.land([created, escalated]);
    await read.adopted;
    s.noteSelectedEvent(dispatched);
    s.noteSelectedEvent(dispatched);
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it("selecting another incident forgets the first one's live events", async () => {
    const s = state();
    const first = pendingRead(s);
    s.noteSelectedEvent(escalated);
    s.selectedId = 'i2';
    s.resetTimeline();
    const second = pendingRead(s);
    second.land([anEvent(9, 'incident.created', {}, { incidentId: 'i2' })]);
    await second.adopted;
    first.land([created]);
    expect(await first.adopted).toBe(false);
    expect(s.timeline!.map((e) => e.seq)).toEqual([9]);
  });
});
