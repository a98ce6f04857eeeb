import type { MapContext } from './map/base';
import { ConsoleState } from './state/console-state';
import { anEvent } from './testing/views';

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

  it('an event that arrives before the read lands shows once the read (taken before it committed) lands', () => {
    const s = state();
    s.noteSelectedEvent(escalated);
    expect(s.timeline).toBeUndefined();
    s.timelineLoaded([created, dispatched]);
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it('a read that already holds the live event shows it once', () => {
    const s = state();
    s.noteSelectedEvent(escalated);
    s.timelineLoaded([created, dispatched, escalated]);
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it('an event after the read is added in sequence order, once even when delivered twice', () => {
    const s = state();
    s.timelineLoaded([created, escalated]);
    s.noteSelectedEvent(dispatched);
    s.noteSelectedEvent(dispatched);
    expect(s.timeline!.map((e) => e.seq)).toEqual([1, 4, 7]);
  });

  it('selecting another incident forgets the first one\'s live events', () => {
    const s = state();
    s.noteSelectedEvent(escalated);
    s.selectedId = 'i2';
    s.resetTimeline();
    s.timelineLoaded([anEvent(9, 'incident.created', {}, { incidentId: 'i2' })]);
    expect(s.timeline!.map((e) => e.seq)).toEqual([9]);
  });
});
