import { anEvent } from '../testing/views';
import { describeEvent, showsDetail } from './detail';

/**
 * An escalation's detail: a move by hand keeps the reason the dispatcher typed; a coded reason the
 * console words itself (`not_acknowledged`…) drops the server's English explanation of it.
 */
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('an escalation line in the timeline', () => {
  it('by hand: the dispatcher’s own words stay beside "manual"', () => {
    const ev = anEvent(1, 'incident.escalated', { fromTier: 'street', toTier: 'district', reason: 'manual', detail: 'second patient reported' });
    expect(text(describeEvent(ev, new Map()))).toBe('Escalated street → district: manual — second patient reported');
    expect(showsDetail('manual')).toBe(true);
  });

  it('coded: our words for the code, not the server’s English detail', () => {
    const ev = anEvent(2, 'incident.escalated', { fromTier: 'street', toTier: 'district', reason: 'not_acknowledged', detail: 'unit E02 did not acknowledge within 60 s' });
    const line = text(describeEvent(ev, new Map()));
    expect(line).toContain('not acknowledged in time');
    expect(line).not.toContain('did not acknowledge within');
    expect(showsDetail('not_acknowledged')).toBe(false);
  });

  it('an unknown code keeps the server’s detail (nothing to say it with otherwise)', () => {
    expect(showsDetail('some_new_code')).toBe(true);
    expect(showsDetail(undefined)).toBe(true);
  });
});
