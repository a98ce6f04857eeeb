import type { ScenarioCall } from '@cad/db';
import { NFPA_TURNOUT_EMS_S, NFPA_TURNOUT_FIRE_S } from '@cad/domain';
import { CallProcessingModel, CrewModel } from './crews';

const t = (s: number) => new Date(Date.UTC(2017, 0, 1, 10) + s * 1000);
const call = (id: string, units: [string, string, number, number, number, number][]): ScenarioCall => ({
  externalId: id,
  type: 'Medical Incident',
  priority: 1,
  lat: 37.8,
  lon: -122.4,
  address: null,
  received: t(0),
  localDate: '2017-01-01',
  line: 2,
  units: units.map(([unitId, unitType, d, e, o, a]) => ({ unitId, unitType, dispatch: t(d), enRoute: t(e), onScene: t(o), available: t(a) })),
});

describe('simulated crews: turnout drawn per unit type from the data (seeded), on scene from the data, call processing from the other days', () => {
  const calls = [
    call('1', [['E1', 'ENGINE', 0, 40, 200, 800], ['M1', 'MEDIC', 0, 20, 300, 2100]]),
    call('2', [['E2', 'ENGINE', 0, 90, 300, 1500]]),
    call('3', [['E3', 'ENGINE', 0, 5000, 5100, 5200]]),
  ];

  it('draws turnout only from its unit type’s historical values, the same for the same seed, call and place', () => {
    const m = new CrewModel(calls, 7);
    // The 5000 s turnout is a stamp entered late, left out.
    expect(m.turnoutSamples()).toEqual({ ENGINE: 2, MEDIC: 1 });
    const draws = new Set(Array.from({ length: 50 }, (_, i) => m.turnout(`c${i}`, 'E9', 'ENGINE')));
    expect([...draws].sort()).toEqual([40, 90]);
    expect(m.turnout('x', 'E9', 'ENGINE')).toBe(new CrewModel(calls, 7).turnout('x', 'E9', 'ENGINE'));
    expect(m.turnout('x', 'M9', 'MEDIC')).toBe(20);
    // No data for the type: the NFPA 1710 target.
    expect(m.turnout('x', 'AM1', 'PRIVATE')).toBe(NFPA_TURNOUT_EMS_S);
    expect(m.turnout('x', 'T1', 'TRUCK')).toBe(NFPA_TURNOUT_FIRE_S);
  });

  it('takes on-scene time from the same call and unit type, then the call, then the type', () => {
    const m = new CrewModel(calls, 1);
    expect(m.onScene('1', 'MEDIC')).toBe(1800);
    expect(m.onScene('1', 'TRUCK')).toBe((600 + 1800) / 2);
    // Median of the engines' 600, 1200 and 100 s.
    expect(m.onScene('99', 'ENGINE')).toBe(600);
    expect(m.onScene('99', 'SUPPORT')).toBe(900);
  });

  it('draws call processing per call type and priority from the other days only, the same for the same seed and call', () => {
    const on = (id: string, day: string, type: string, priority: 1 | 2 | 3, processingS: number): ScenarioCall => ({
      ...call(id, [['E1', 'ENGINE', processingS, processingS + 60, processingS + 200, processingS + 900]]),
      localDate: day,
      type,
      priority,
    });
    const week = [
      ...[30, 40, 50, 60, 70].map((p, i) => on(`a${i}`, '2017-01-02', 'Structure Fire', 1, p)),
      ...[300, 310, 320].map((p, i) => on(`b${i}`, '2017-01-02', 'Alarms', 1, p)),
      // The replayed day: its own processing (999 s) must never be drawn.
      ...[999, 999, 999, 999, 999, 999].map((p, i) => on(`c${i}`, '2017-01-01', 'Structure Fire', 1, p)),
      // A stamp an hour late is a held call, not processing: left out.
      on('d', '2017-01-03', 'Structure Fire', 1, 4000),
    ];
    const m = new CallProcessingModel(week, new Set(['2017-01-01']), 3);
    expect(m.samples()).toBe(8);
    const fire = new Set(Array.from({ length: 60 }, (_, i) => m.draw(`x${i}`, 'Structure Fire', 1)));
    expect([...fire].every((p) => [30, 40, 50, 60, 70].includes(p))).toBe(true);
    // Too few calls of that type and priority (3 < 5): the priority's calls of the other days.
    const alarms = new Set(Array.from({ length: 60 }, (_, i) => m.draw(`y${i}`, 'Alarms', 1)));
    expect([...alarms].every((p) => [30, 40, 50, 60, 70, 300, 310, 320].includes(p))).toBe(true);
    expect(m.draw('x', 'Structure Fire', 1)).toBe(new CallProcessingModel(week, new Set(['2017-01-01']), 3).draw('x', 'Structure Fire', 1));
    // Leave one day out per call: a call of 2017-01-02 never draws its own day's values (a week drill).
    const all = new CallProcessingModel(week, new Set(), 3);
    const own = new Set(Array.from({ length: 60 }, (_, i) => all.draw(`a${i % 5}`, 'Structure Fire', 1)));
    expect(own).toEqual(new Set([999]));
    const c0 = new Set(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'].map((id) => all.draw(id, 'Structure Fire', 1)));
    expect([...c0].every((p) => [30, 40, 50, 60, 70].includes(p))).toBe(true);
        // Hostile: no other day in the data (a one-day data set): no history to draw from, dispatch at once.
    expect(new CallProcessingModel(week, new Set(['2017-01-01', '2017-01-02', '2017-01-03']), 3).draw('x', 'Structure Fire', 1)).toBe(0);
  });
});
