import { CallPlaces, CrewModel, PlacedTask } from './crews';
import type { ScenarioCall } from '@cad/db';

/**
 * Common random numbers (issue 20): a drill's random draws are keyed by the unit's place at the call (its
 * type and order of dispatch), never by which unit it is. So two policies that send different engines to a
 * call give its first engine the same turnout and travel residual, and the comparison of the policies
 * measures where their units set off from, not the luck of the draw.
 */
describe('policies draw alike for a call’s first engine, whichever engine they send', () => {
  const at = (h: number, m: number) => new Date(Date.UTC(2017, 0, 1, h, m));
  const day = (d: string, k: number): ScenarioCall =>
    ({
      externalId: `${d}-${k}`,
      localDate: d,
      priority: 1,
      units: [{ unitType: 'ENGINE', dispatch: at(9, k), enRoute: new Date(at(9, k).getTime() + (40 + 7 * k) * 1000), onScene: null, available: null }],
    }) as unknown as ScenarioCall;
  const calls = [...Array.from({ length: 20 }, (_, k) => day('2017-01-01', k)), ...Array.from({ length: 20 }, (_, k) => day('2017-01-02', k))];
  const task = (callId: string, unitId: string, dispatchedMs: number, etaS: number, unitType = 'ENGINE'): PlacedTask => ({ callId, unitId, unitType, dispatchedMs, etaS });

  it('gives the first engine sent to a call place ENGINE#0 and the same draws under both policies', () => {
    const crews = new CrewModel(calls, 11);
    // Nearest sends E1 then E2 to call c1; the move-up run, whose E1 moved away, sends E7 then E2.
    const nearest = new CallPlaces().placeAll([task('c1', 'E2', 1000, 300), task('c1', 'E1', 1000, 120), task('c2', 'E1', 5000, 90)]);
    const moveups = new CallPlaces().placeAll([task('c1', 'E7', 1000, 150), task('c1', 'E2', 1000, 300), task('c2', 'E3', 5000, 200)]);
    expect(nearest).toEqual(['ENGINE#1', 'ENGINE#0', 'ENGINE#0']);
    expect(moveups).toEqual(['ENGINE#0', 'ENGINE#1', 'ENGINE#0']);
    // c1's first engine: E1 under nearest, E7 under move-ups; the same turnout and travel residual.
    expect(crews.turnout('c1', nearest[1], 'ENGINE')).toBe(crews.turnout('c1', moveups[0], 'ENGINE'));
    expect(crews.travelRatio('c1', nearest[1], 'ENGINE')).toBe(crews.travelRatio('c1', moveups[0], 'ENGINE'));
    expect(crews.turnout('c2', nearest[2], 'ENGINE')).toBe(crews.turnout('c2', moveups[2], 'ENGINE'));
  });

  it('places a unit sent later to the same call after those sent before, and other types apart', () => {
    const places = new CallPlaces();
    expect(places.placeAll([task('c1', 'E1', 1000, 100), task('c1', 'M1', 1000, 400, 'MEDIC')])).toEqual(['ENGINE#0', 'MEDIC#0']);
    // A second alarm a minute on: the next engine is ENGINE#1 even though its ETA is shorter.
    expect(places.placeAll([task('c1', 'E9', 61000, 30)])).toEqual(['ENGINE#1']);
    expect(places.placeAll([task('c9', 'E1', 61000, 30)])).toEqual(['ENGINE#0']);
  });

  it('hostile twin: different places and different calls still draw independently', () => {
    const crews = new CrewModel(calls, 11);
    const first = Array.from({ length: 40 }, (_, k) => crews.turnout(`c${k}`, 'ENGINE#0', 'ENGINE'));
    const second = Array.from({ length: 40 }, (_, k) => crews.turnout(`c${k}`, 'ENGINE#1', 'ENGINE'));
    expect(new Set(first).size).toBeGreaterThan(5);
    expect(first.filter((x, k) => x !== second[k]).length).toBeGreaterThan(20);
    // Another seed, other draws.
    expect(Array.from({ length: 40 }, (_, k) => new CrewModel(calls, 12).turnout(`c${k}`, 'ENGINE#0', 'ENGINE'))).not.toEqual(first);
  });
});
