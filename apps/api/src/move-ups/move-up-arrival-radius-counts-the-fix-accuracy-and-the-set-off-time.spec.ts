import { METRES_PER_DEGREE_LAT } from '@cad/domain';
import { arrivedByFix } from './move-up-arrival-by-avl';

/** Metres north as degrees of latitude. */
const north = (m: number) => m / METRES_PER_DEGREE_LAT;

/** The rule alone: distance plus accuracy within the radius, and only a fix taken after the unit set off. */
describe('arrivedByFix', () => {
  const station = { lat: 37.78, lon: -122.41, startedAt: new Date('2026-12-04T10:00:00Z') };
  const at = new Date('2026-12-04T10:05:00Z');
  const fix = (metres: number, accuracyM: number | null, when = at) => ({ lat: station.lat + north(metres), lon: station.lon, at: when, accuracyM });

  it('arrives on the boundary (70 m + 4.9 m accuracy within 75 m) and not just past it', () => {
    expect(arrivedByFix(fix(70, 4.9), station, 75)).toBe(true);
    expect(arrivedByFix(fix(70, 5.2), station, 75)).toBe(false);
    expect(arrivedByFix(fix(76, null), station, 75)).toBe(false);
    expect(arrivedByFix(fix(74, null), station, 75)).toBe(true);
  });

  it('ignores a fix from before the unit set off, a move that has not set off, and a radius of 0', () => {
    expect(arrivedByFix(fix(0, 5, new Date('2026-12-04T09:59:59Z')), station, 75)).toBe(false);
    expect(arrivedByFix(fix(0, 5, station.startedAt), station, 75)).toBe(true);
    expect(arrivedByFix(fix(0, 5), { ...station, startedAt: null }, 75)).toBe(false);
    expect(arrivedByFix(fix(0, 0), station, 0)).toBe(false);
  });

  it('ignores a re-established position whose run began before the unit set off; a run begun after it arrives', () => {
    expect(arrivedByFix({ ...fix(0, 5), since: new Date('2026-12-04T09:59:37Z') }, station, 75)).toBe(false);
    expect(arrivedByFix({ ...fix(0, 5), since: station.startedAt }, station, 75)).toBe(true);
  });
});
