import { nowFor, setClock } from './clock';

/**
 * Two drills of different days run at once: an exercise incident's age is measured against its own
 * drill's clock, not the drill the header shows (the one started last).
 */
describe('exercise incident age with two drills running', () => {
  const day1 = '2017-01-01T10:00:00.000Z';
  const day2 = '2017-01-05T04:00:00.000Z';
  beforeAll(() =>
    setClock({
      running: true,
      simTime: day2,
      speed: 1,
      drill: 'drill-b',
      times: { 'drill-a': { simTime: day1, speed: 60, paused: true }, 'drill-b': { simTime: day2, speed: 1, paused: true } },
    }),
  );

  it('tells each drill’s incident by its own clock', () => {
    const receivedA = Date.parse(day1) - 90_000;
    expect(nowFor(true, 'drill-a') - receivedA).toBe(90_000);
    expect(nowFor(true, 'drill-b')).toBe(Date.parse(day2));
  });

  it('falls back to the clock shown for a drill it was not told, and the wall clock for live incidents', () => {
    // The clock shown runs at 1× since it was set: a few milliseconds past day 2.
    for (const drill of ['drill-unknown', null]) expect(Math.abs(nowFor(true, drill) - Date.parse(day2))).toBeLessThan(5000);
    expect(Math.abs(nowFor(false, 'drill-a') - Date.now())).toBeLessThan(5000);
  });

  it('keeps an ended drill’s clock standing where it stopped, never reading its incidents off another drill', () => {
    const dayC = '2017-01-03T12:00:00.000Z';
    setClock({ running: true, simTime: dayC, speed: 10, drill: 'drill-c', times: { 'drill-a': { simTime: day1, speed: 60, paused: true }, 'drill-c': { simTime: dayC, speed: 10, paused: false } } });
    // drill-c ends (its run failed): the server tells only drill-d now.
    const dayD = '2017-01-06T08:00:00.000Z';
    setClock({ running: true, simTime: dayD, speed: 1, drill: 'drill-d', times: { 'drill-d': { simTime: dayD, speed: 1, paused: true } } });
    // drill-c stands where it was when it was last told (plus the few ms it ran at 10×), not on drill-d's day.
    expect(Math.abs(nowFor(true, 'drill-c') - Date.parse(dayC))).toBeLessThan(5000);
    const first = nowFor(true, 'drill-c');
    expect(nowFor(true, 'drill-c')).toBe(first);
    expect(nowFor(true, 'drill-a')).toBe(Date.parse(day1));
    expect(nowFor(true, 'drill-d')).toBe(Date.parse(dayD));
  });
});
