import { mulberry32 } from './random';
import { fitTravelModel, modelTravelS, travelError, TravelSample } from './travel-model';

const at = '2026-01-01T00:00:00.000Z';

/**
 * Engine responses on 6 days from 4 stations, true travel `90 + 0.8 × graph + station` seconds
 * (station terms −25, 0, +15, +45), noise ±60 s, emergency and non-emergency alike, and a station
 * seen only a few times a day: the shrink constant matters, and folds may choose differently.
 */
function week(seed = 7): TravelSample[] {
  const rnd = mulberry32(seed);
  const stations: [string, number, number][] = [
    ['st-1', -25, 12],
    ['st-2', 0, 12],
    ['st-3', 15, 12],
    ['st-4', 45, 2],
  ];
  const out: TravelSample[] = [];
  for (let d = 1; d <= 6; d++)
    for (const [stationId, term, perDay] of stations)
      for (let i = 0; i < perDay; i++) {
        const graphS = 40 + Math.floor(rnd() * 400);
        out.push({ day: `2017-01-0${d}`, graphS, observedS: 90 + 0.8 * graphS + term + (rnd() * 120 - 60), emergency: rnd() < 0.8, unitType: 'ENGINE', stationId });
      }
  return out;
}

const choiceOf = (m: { weighting: string; stationShrink?: number | null }) => ({ weighting: m.weighting, stationShrink: m.stationShrink });

describe('travel model: its reported error is nested leave-one-day-out, each day scored by a fit chosen and fitted without it', () => {
  it('each fold’s choice and fit are exactly the model fitted on the other days; the error pools their predictions of the day', () => {
    const samples = week();
    const m = fitTravelModel(samples, [], at);
    expect(m.crossValidation.nested).toBe(true);
    expect(m.crossValidation.perDay.map((d) => d.day)).toEqual(m.sample.days);
    const pairs = m.sample.days.flatMap((day) => {
      const without = fitTravelModel(
        samples.filter((s) => s.day !== day),
        [],
        at,
      );
      expect(m.crossValidation.perDay.find((d) => d.day === day)!.fit).toEqual(choiceOf(without));
      return samples.filter((s) => s.day === day).map((s) => ({ predictedS: modelTravelS(without, s.graphS, s.emergency, s), observedS: s.observedS }));
    });
    const expected = travelError(pairs);
    expect(m.crossValidation.n).toBe(expected.n);
    expect(m.crossValidation.medianAbsPctError).toBeCloseTo(expected.medianAbsPctError, 12);
    expect(m.crossValidation.rmseS).toBeCloseTo(expected.rmseS, 9);
    // The fit used is chosen on every day (its plain leave-one-day-out figure is among `alternatives`).
    const best = m.alternatives.reduce((a, b) => (b.medianAbsPctError < a.medianAbsPctError ? b : a));
    expect(choiceOf(m)).toEqual(choiceOf(best));
  });

  it('hostile twin: a held-out day rewritten to reward another fit changes the final choice, never the choice of its own fold', () => {
    const samples = week();
    const m = fitTravelModel(samples, [], at);
    // Day 6 rewritten, 40 times over, as exact least-squares truth with no station effect at all: it now
    // outweighs the others in every pooled median, so the fit chosen on every day turns to no station terms.
    const day = '2017-01-06';
    const rewritten = samples.filter((s) => s.day !== day);
    for (let r = 0; r < 40; r++) for (const s of samples.filter((x) => x.day === day)) rewritten.push({ ...s, observedS: 90 + 0.8 * s.graphS });
    const h = fitTravelModel(rewritten, [], at);
    expect(choiceOf(m).stationShrink).not.toBeNull();
    expect(choiceOf(h)).not.toEqual(choiceOf(m));
    // The day's own fold chose on the other five days, untouched: the same choice and the same fit.
    const fold = (x: typeof m) => x.crossValidation.perDay.find((d) => d.day === day)!;
    expect(fold(h).fit).toEqual(fold(m).fit);
    // ... but it is scored on the rewritten day, so its error moves.
    expect(fold(h).n).toBe(fold(m).n * 40);
    expect(fold(h).medianAbsPctError).not.toBeCloseTo(fold(m).medianAbsPctError, 6);
  });
});
