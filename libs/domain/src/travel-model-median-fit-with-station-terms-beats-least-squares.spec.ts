import { mulberry32 } from './random';
import { fitTravelModel, MIN_LINE_SAMPLES, modelTravelS, TravelSample } from './travel-model';

const at = '2026-01-01T00:00:00.000Z';
const ENGINE = { unitType: 'ENGINE' };

/**
 * Emergency engine responses on 5 days from 3 stations whose true travel is `100 + 0.7 × graph +
 * station` seconds (station terms −30, 0, +40), with ±10 s of even noise, and one response in six with
 * its on-scene stamp pressed 250 s late (the right answer of a median fit: the line and terms as given).
 */
function fixture(): TravelSample[] {
  const rnd = mulberry32(20);
  const stations: [string, number][] = [
    ['st-1', -30],
    ['st-2', 0],
    ['st-3', 40],
  ];
  const out: TravelSample[] = [];
  for (let d = 1; d <= 5; d++)
    for (const [stationId, term] of stations)
      for (let g = 40; g <= 400; g += 20) {
        const late = rnd() < 1 / 6 ? 250 : 0;
        out.push({ day: `2017-01-0${d}`, graphS: g, observedS: 100 + 0.7 * g + term + (rnd() * 20 - 10) + late, emergency: true, unitType: 'ENGINE', stationId });
      }
  return out;
}

describe('travel model: a median fit with station terms, chosen by leave-one-day-out error', () => {
  it('beats the least-squares fit (the fit before) on held-out days of data whose right answer is known', () => {
    const m = fitTravelModel(fixture(), [], at);
    const before = m.alternatives.find((a) => a.weighting === 'squared')!;
    expect(m.weighting).toBe('absolute');
    expect(m.stationShrink).not.toBeNull();
    expect(m.method).toMatch(/least absolute deviations.*term per home station/);
    // The fit used is the one of lowest leave-one-day-out error over every day, a median fit with station terms.
    const chosen = m.alternatives.find((a) => a.weighting === m.weighting && a.stationShrink === m.stationShrink)!;
    expect(chosen.stationTerms).toBe(true);
    for (const a of m.alternatives) expect(chosen.medianAbsPctError).toBeLessThanOrEqual(a.medianAbsPctError);
    // Its error is nested (each day scored by a fit chosen on the other days), and so is every fold's choice here.
    for (const d of m.crossValidation.perDay) expect(d.fit).toEqual({ weighting: 'absolute', stationShrink: expect.any(Number) });
    // Late stamps drag the least-squares line up; the median line and station terms stay on the truth.
    expect(m.crossValidation.medianAbsPctError).toBeLessThan(before.medianAbsPctError / 2);
    expect(m.crossValidation.perDay).toHaveLength(5);
    expect(m.lines['emergency:ENGINE'].slope).toBeCloseTo(0.7, 1);
    const shrink = (n: number) => n / (n + m.stationShrink!);
    expect(m.stations!['st-3'].offsetS).toBeGreaterThan(30 * shrink(m.stations!['st-3'].n));
    expect(m.stations!['st-1'].offsetS).toBeLessThan(-20 * shrink(m.stations!['st-1'].n));
    // One model for every caller: a unit of station 3 is modelled slower than one of station 1 on the same route.
    expect(modelTravelS(m, 200, true, { unitType: 'ENGINE', stationId: 'st-3' })).toBeGreaterThan(modelTravelS(m, 200, true, { unitType: 'ENGINE', stationId: 'st-1' }) + 50);
  });

  it('a unit without a known station, and a model stored before station terms, get the line alone; travel is never negative', () => {
    const m = fitTravelModel(fixture(), [], at);
    const line = m.lines['emergency:ENGINE'];
    expect(modelTravelS(m, 200, true, { unitType: 'ENGINE', stationId: 'st-99' })).toBeCloseTo(line.interceptS + line.slope * 200, 9);
    expect(modelTravelS(m, 200, true, { unitType: 'ENGINE', stationId: null })).toBeCloseTo(line.interceptS + line.slope * 200, 9);
    expect(modelTravelS({ lines: m.lines }, 200, true, { unitType: 'ENGINE', stationId: 'st-3' })).toBeCloseTo(line.interceptS + line.slope * 200, 9);
    const hostile = { lines: { '*:*': { interceptS: 10, slope: 0.1, n: 50 } }, stations: { 'st-1': { offsetS: -500, n: 50 } } };
    expect(modelTravelS(hostile, 100, true, { unitType: 'ENGINE', stationId: 'st-1' })).toBe(0);
  });

  it('hostile twin: a degenerate sample (too few points, all one graph time) falls back to the median ratio through the origin, never NaN', () => {
    const one = (day: string, graphS: number, observedS: number): TravelSample => ({ day, graphS, observedS, emergency: true, unitType: 'ENGINE', stationId: 'st-1' });
    // All one graph time, many responses over 3 days: no slope can be told from an intercept.
    const flat = [1, 2, 3].flatMap((d) => [100, 150, 200, 400].map((o) => one(`2017-01-0${d}`, 80, o)));
    const f = fitTravelModel(flat, [], at);
    for (const l of Object.values(f.lines)) {
      expect(l.interceptS).toBe(0);
      expect(l.slope).toBeCloseTo(175 / 80, 9);
    }
    expect(Number.isFinite(f.crossValidation.medianAbsPctError)).toBe(true);
    for (const a of f.alternatives) expect(Number.isFinite(a.medianAbsPctError) && Number.isFinite(a.rmseS)).toBe(true);
    expect(Number.isFinite(modelTravelS(f, 120, true, { unitType: 'ENGINE', stationId: 'st-1' }))).toBe(true);
    // Fewer responses than a line needs (two days, so every fold trains on fewer still).
    const few = [one('2017-01-01', 60, 150), one('2017-01-01', 300, 400), one('2017-01-02', 120, 200)];
    expect(few.length).toBeLessThan(MIN_LINE_SAMPLES);
    const m = fitTravelModel(few, [], at);
    // Ratios 2.5, 1.33 and 1.67: the median is 200 / 120.
    expect(m.lines['*:*']).toEqual({ interceptS: 0, slope: 200 / 120, n: 3 });
    for (const a of m.alternatives) expect(Number.isNaN(a.medianAbsPctError)).toBe(false);
    const t = modelTravelS(m, 90, true, ENGINE);
    expect(t).toBeCloseTo(90 * (200 / 120), 9);
    for (const s of Object.values(m.stations ?? {})) expect(Number.isFinite(s.offsetS)).toBe(true);
  });
});
