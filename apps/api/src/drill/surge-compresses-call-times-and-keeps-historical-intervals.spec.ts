import type { ScenarioCall } from '@cad/db';
import { surgeCalls } from './surge';

const at = (s: number) => new Date(Date.parse('2017-01-01T08:00:00Z') + s * 1000);
const call = (id: string, s: number): ScenarioCall => ({
  externalId: id,
  type: 'Medical Incident',
  priority: 1,
  lat: 37.79,
  lon: -122.41,
  address: null,
  received: at(s),
  localDate: '2017-01-01',
  line: 2,
  units: [{ unitId: 'E1', unitType: 'ENGINE', dispatch: at(s + 60), enRoute: at(s + 120), onScene: at(s + 300), available: at(s + 1800) }],
});

describe('a surge compresses the calls\' times: at factor 4 calls arrive four times sooner', () => {
  const calls = [call('a', 0), call('b', 400), call('c', 4000)];

  it('divides each call\'s offset from the first by the factor, and moves its history with it', () => {
    const s = surgeCalls(calls, 4);
    expect(s.map((c) => (c.received.getTime() - at(0).getTime()) / 1000)).toEqual([0, 100, 1000]);
    // The historical intervals stay as recorded: dispatch 60 s, en route 120 s, on scene 300 s after receipt.
    for (const c of s) {
      const u = c.units[0];
      expect([u.dispatch, u.enRoute, u.onScene, u.available].map((d) => (d!.getTime() - c.received.getTime()) / 1000)).toEqual([60, 120, 300, 1800]);
    }
    // The scenario's calls are not changed.
    expect(calls[2].received).toEqual(at(4000));
    expect(surgeCalls(calls, 1).map((c) => c.received)).toEqual(calls.map((c) => c.received));
  });

  it('hostile: a factor below 1, not a number or absurdly large is refused, naming surge', () => {
    for (const f of [0.5, 0, -4, NaN, Infinity, 1000]) expect(() => surgeCalls(calls, f)).toThrow(/surge/);
  });
});
