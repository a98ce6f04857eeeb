import type { ScenarioCall } from '@cad/db';
import { modelTravelS, TravelModel, TravelSample } from '@cad/domain';
import { CrewModel } from './crews';

const t = (day: number, s: number) => new Date(Date.UTC(2017, 0, day, 10) + s * 1000);
/** A call of `day` (1 = 2017-01-01) with one engine E1 (en route 20 s, on scene 200 s). */
const call = (id: string, day: number, priority: 1 | 2): ScenarioCall => ({
  externalId: id,
  type: 'Structure Fire',
  priority,
  lat: 37.8,
  lon: -122.4,
  address: null,
  received: t(day, 0),
  localDate: `2017-01-0${day}`,
  line: 2,
  units: [{ unitId: 'E1', unitType: 'ENGINE', dispatch: t(day, 0), enRoute: t(day, 20), onScene: t(day, 200), available: t(day, 2000) }],
});

/** Lines: emergency engines 20 s + 1 × graph, non-emergency 40 s + 1 × graph; station st-1 adds 10 s. */
const model: Pick<TravelModel, 'lines' | 'stations'> = {
  lines: {
    'emergency:ENGINE': { interceptS: 20, slope: 1, n: 40 },
    'non-emergency:ENGINE': { interceptS: 40, slope: 1, n: 40 },
    'emergency:*': { interceptS: 20, slope: 1, n: 40 },
    'non-emergency:*': { interceptS: 40, slope: 1, n: 40 },
  },
  stations: { 'st-1': { offsetS: 10, n: 20 } },
};

/** A historical response whose observed travel is `ratio` × the model's prediction (graph 170 s). */
const sample = (day: number, emergency: boolean, ratio: number): TravelSample => {
  const graphS = 170;
  const predicted = modelTravelS(model, graphS, emergency, { unitType: 'ENGINE', stationId: 'st-1' });
  return { day: `2017-01-0${day}`, graphS, observedS: predicted * ratio, emergency, unitType: 'ENGINE', stationId: 'st-1' };
};

describe('a fire unit in a drill travels the model median times a residual drawn from another day', () => {
  const calls = [...[1, 2, 3].flatMap((d) => [call(`e${d}`, d, 1), call(`n${d}`, d, 2)])];
  const samples = [
    // The replayed day (2017-01-01): its own residuals (and so its calls' real travel) must never be drawn.
    ...[3, 3, 3, 3, 3, 3].map((r) => sample(1, true, r)),
    // Other days, emergency: 0.8..1.3; non-emergency: 2.0..2.4.
    ...[0.8, 0.9, 1.0].map((r) => sample(2, true, r)),
    ...[1.1, 1.2, 1.3].map((r) => sample(3, true, r)),
    ...[2.0, 2.1, 2.2, 2.3, 2.4].map((r) => sample(2, false, r)),
    // Outside the fit's usable range (observed < 30 s): never a residual.
    { day: '2017-01-02', graphS: 10, observedS: 12, emergency: true, unitType: 'ENGINE', stationId: null },
  ];

  it('draws only residuals of other days, of the same response mode, never the call’s own', () => {
    const m = new CrewModel(calls, 5, { model, samples });
    const draws = Array.from({ length: 80 }, (_, i) => m.travelRatio('e1', `E${i}`, 'ENGINE'));
    expect(new Set(draws.map((r) => r.toFixed(6)))).toEqual(new Set([0.8, 0.9, 1.0, 1.1, 1.2, 1.3].map((r) => r.toFixed(6))));
    const nonEmergency = Array.from({ length: 40 }, (_, i) => m.travelRatio('n1', `E${i}`, 'ENGINE'));
    expect(new Set(nonEmergency.map((r) => r.toFixed(6)))).toEqual(new Set([2.0, 2.1, 2.2, 2.3, 2.4].map((r) => r.toFixed(6))));
    // A call of another day may draw the replayed day's residuals: that day is not its own; never its own day's.
    const day2 = Array.from({ length: 80 }, (_, i) => m.travelRatio('e2', `E${i}`, 'ENGINE'));
    expect(day2.some((r) => Math.abs(r - 3) < 1e-9)).toBe(true);
    expect(day2.some((r) => [0.8, 0.9, 1.0].some((x) => Math.abs(r - x) < 1e-9))).toBe(false);
    expect(m.travelResidualSamples()).toEqual({ 'line emergency:ENGINE': 12, 'mode emergency': 12, 'line non-emergency:ENGINE': 5, 'mode non-emergency': 5, all: 17 });
  });

  it('gives the same trip the same residual for the same seed, and the trips a spread', () => {
    const a = new CrewModel(calls, 5, { model, samples });
    const b = new CrewModel(calls, 5, { model, samples });
    const trips = Array.from({ length: 30 }, (_, i) => [`e${(i % 3) + 1}`, `E${i}`] as const);
    expect(trips.map(([c, u]) => a.travelRatio(c, u, 'ENGINE'))).toEqual(trips.map(([c, u]) => b.travelRatio(c, u, 'ENGINE')));
    expect(new Set(trips.map(([c, u]) => a.travelRatio(c, u, 'ENGINE'))).size).toBeGreaterThan(2);
  });

  it('leaves ambulances to their own draw, and the median alone when no residual is known', () => {
    const m = new CrewModel(calls, 5, { model, samples });
    expect(m.travelRatio('e1', 'M1', 'MEDIC')).toBe(1);
    expect(new CrewModel(calls, 5).travelRatio('e1', 'E1', 'ENGINE')).toBe(1);
    // A chief's line is the mode's (no `emergency:BATTALION CHIEF`): drawn from the mode's engine and truck residuals.
    expect([0.8, 0.9, 1.0, 1.1, 1.2, 1.3].some((x) => Math.abs(m.travelRatio('e1', 'B1', 'CHIEF') - x) < 1e-9)).toBe(true);
  });
});
