import { fitTravelModel, lineFor, modelTravelS, TravelSample, turnoutS, uncalibratedTravelModel } from './travel-model';

/** Responses on `days` days following `travel = a + b·graph` exactly, per mode, for a unit type. */
function responses(days: number, emergency: boolean, unitType: string, a: number, b: number): TravelSample[] {
  const out: TravelSample[] = [];
  for (let d = 0; d < days; d++) {
    for (let g = 40; g <= 600; g += 20) out.push({ day: `2017-01-0${d + 1}`, graphS: g, observedS: a + b * g, emergency, unitType });
  }
  return out;
}

const ENGINE = { unitType: 'ENGINE' };

describe('travel model: graph time with an intercept, by response mode and unit type, cross-validated by day', () => {
  const at = '2026-01-01T00:00:00.000Z';

  it('recovers each mode’s intercept and slope, and predicts held-out days exactly when the data follow the lines', () => {
    const samples = [...responses(4, true, 'ENGINE', 99, 0.8), ...responses(4, false, 'ENGINE', 114, 1.78)];
    const m = fitTravelModel(samples, [{ unitType: 'ENGINE', seconds: 70 }, { unitType: 'ENGINE', seconds: 80 }], at);
    expect(m.lines['emergency:ENGINE'].interceptS).toBeCloseTo(99, 6);
    expect(m.lines['emergency:ENGINE'].slope).toBeCloseTo(0.8, 9);
    expect(m.lines['non-emergency:ENGINE'].interceptS).toBeCloseTo(114, 6);
    expect(modelTravelS(m, 100, true, ENGINE)).toBeCloseTo(179, 6);
    expect(m.crossValidation.medianAbsPctError).toBeCloseTo(0, 9);
    expect(m.crossValidation.perDay.map((d) => d.day)).toEqual(['2017-01-01', '2017-01-02', '2017-01-03', '2017-01-04']);
    // The one-factor fit through the origin cannot follow an intercept: its cross-validated error is worse.
    expect(m.baseline.medianAbsPctError).toBeGreaterThan(0.05);
    expect(turnoutS(m, 'ENGINE')).toBe(75);
    expect(m.sample.responses).toBe(samples.length);
  });

  it('a unit type with too few responses uses its mode’s line; an unknown type gets the NFPA turnout', () => {
    const samples = [...responses(3, true, 'ENGINE', 100, 1), ...responses(1, true, 'TRUCK', 0, 3).slice(0, 5)];
    const m = fitTravelModel(samples, [], at);
    expect(m.lines['emergency:TRUCK']).toBeUndefined();
    expect(lineFor(m.lines, true, 'TRUCK')).toBe(m.lines['emergency:*']);
    expect(turnoutS(m, 'MEDIC')).toBe(60);
    expect(turnoutS(m, 'TRUCK')).toBe(80);
  });

  it('hostile input: stamps pressed late or early, unreachable units and a single day never poison the fit', () => {
    const good = responses(2, true, 'ENGINE', 90, 1);
    const bad: TravelSample[] = [
      { day: '2017-01-01', graphS: 100, observedS: 5, emergency: true, unitType: 'ENGINE' },
      { day: '2017-01-01', graphS: 100, observedS: 9000, emergency: true, unitType: 'ENGINE' },
      { day: '2017-01-02', graphS: Infinity, observedS: 300, emergency: true, unitType: 'ENGINE' },
      { day: '2017-01-02', graphS: NaN, observedS: 300, emergency: true, unitType: 'ENGINE' },
    ];
    const m = fitTravelModel([...good, ...bad], [{ unitType: 'ENGINE', seconds: -3 }, { unitType: 'ENGINE', seconds: 4000 }], at);
    expect(m.sample.responses).toBe(good.length);
    expect(m.lines['emergency:ENGINE'].interceptS).toBeCloseTo(90, 6);
    expect(m.turnout.ENGINE).toBeUndefined();
    // Unreachable stays unreachable; a unit already at the access point has no travel left.
    expect(modelTravelS(m, Infinity, true, ENGINE)).toBe(Infinity);
    expect(modelTravelS(m, 0, true, ENGINE)).toBe(0);
    const oneDay = fitTravelModel(responses(1, true, 'ENGINE', 90, 1), [], at);
    expect(oneDay.crossValidation.n).toBe(0);
    expect(Number.isNaN(oneDay.crossValidation.medianAbsPctError)).toBe(true);
  });

  it('with no responses at all the model is graph time as it is, and says so', () => {
    const m = uncalibratedTravelModel(at);
    expect(modelTravelS(m, 123, true, ENGINE)).toBe(123);
    expect(m.method).toMatch(/uncalibrated/);
  });
});
