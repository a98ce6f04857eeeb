import { heldReasonText } from '@cad/domain';
import { waitingReason } from './dispatch.service';

/** What `last_error` tells a dispatcher about an incident left without a unit: never "no available unit" when units are available. */
describe('why an incident waits', () => {
  const text = (...a: Parameters<typeof waitingReason>) => heldReasonText(waitingReason(...a));
  it('every capable unit busy: says so', () => {
    expect(waitingReason(['engine', 'truck'], [], false)).toEqual({ code: 'no_unit_busy', params: { capabilities: 'engine, truck' } });
    expect(text(['engine', 'truck'], [], false)).toBe('no available unit could be dispatched (engine, truck): every unit able to fill it is busy or out of service');
  });
  it('available units but no open road (closures): says they are cut off, with their number', () => {
    expect(waitingReason(['engine'], [Infinity, Infinity, Infinity], true)).toEqual({ code: 'no_unit_cut_off', params: { capabilities: 'engine', count: 3 } });
    expect(text(['engine'], [Infinity, Infinity, Infinity], true)).toBe('no available unit can reach it by road (engine): the 3 available units able to fill it are cut off by road closures');
    expect(text(['medic'], [Infinity], false)).toMatch(/the 1 available unit able to fill it is cut off/);
  });
  it('a reachable unit that went to a more urgent incident: says so; one finite ETA is enough to not blame the roads', () => {
    expect(text(['engine'], [Infinity, 240], true)).toBe('no available unit could be dispatched (engine): the free units went to more urgent incidents');
    expect(waitingReason(['engine'], [Infinity, 240], true).code).toBe('no_unit_outranked');
    expect(text(['engine'], [300], false)).toBe('no available unit could be dispatched (engine)');
  });
});
