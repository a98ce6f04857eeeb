import type { ScenarioCall } from '@cad/db';
import { CrewModel, fitTravelFactor, NFPA_TURNOUT_EMS_S, NFPA_TURNOUT_FIRE_S } from './crews';

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

describe('simulated crews: turnout drawn per unit type from the data (seeded), on scene from the data, travel factor fitted', () => {
  const calls = [
    call('1', [['E1', 'ENGINE', 0, 40, 200, 800], ['M1', 'MEDIC', 0, 20, 300, 2100]]),
    call('2', [['E2', 'ENGINE', 0, 90, 300, 1500]]),
    call('3', [['E3', 'ENGINE', 0, 5000, 5100, 5200]]),
  ];

  it('draws turnout only from its unit type’s historical values, the same for the same seed, call and unit', () => {
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

  it('fits observed ≈ k × graph by least squares and reports its error', () => {
    const pairs = [60, 120, 180, 240].map((g) => ({ graphS: g, observedS: 1.5 * g }));
    const fit = fitTravelFactor([...pairs, { graphS: 10, observedS: 500 }, { graphS: 100, observedS: 5000 }]);
    expect(fit.n).toBe(4);
    expect(fit.factor).toBeCloseTo(1.5, 9);
    expect(fit.rmseS).toBeCloseTo(0, 9);
    expect(fit.rmseUncalibratedS).toBeGreaterThan(50);
    expect(fitTravelFactor([]).factor).toBe(1);
  });
});
