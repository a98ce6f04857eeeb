import type { SfUnitResponse } from './sf-calls';
import { deriveUnitsAndStations, MIN_BASE_RESPONSES } from './stations';

/**
 * Issue 20: a station whose engines and trucks made fewer than MIN_BASE_RESPONSES timed responses in the
 * data is not placed (one incident is no base to dispatch from: engine 29 was posted in the Financial
 * District from its two calls there, and a drill sent it 81 times where history sent it twice); its units
 * are `unplaced` (imported out of service). A stations file places it whatever the data holds.
 */
describe('a station the data cannot place leaves its units unplaced', () => {
  let line = 1;
  /** One response of `unitId` at (lat, lon); timed (en route and on scene stamped, `travelS` apart) unless travelS is null. */
  const response = (unitId: string, unitType: string, lat: number, lon: number, travelS: number | null): SfUnitResponse => {
    line++;
    const t0 = Date.UTC(2017, 0, 1, 12, 0, line);
    return {
      line,
      unitId,
      unitType,
      callNumber: `c${line}`,
      incidentNumber: `i${line}`,
      callType: 'Alarms',
      priorityCode: '3',
      address: '',
      lat,
      lon,
      received: new Date(t0 - 120_000),
      dispatch: new Date(t0 - 60_000),
      response: travelS === null ? null : new Date(t0),
      onScene: travelS === null ? null : new Date(t0 + travelS * 1000),
      available: null,
      localDate: '2017-01-01',
    };
  };
  const timed = (unitId: string, n: number, lat = 37.79, lon = -122.41) => Array.from({ length: n }, (_, k) => response(unitId, unitId.startsWith('T') ? 'TRUCK' : 'ENGINE', lat + k * 1e-4, lon, 60 + 10 * k));

  it(`places a station from ${MIN_BASE_RESPONSES} timed responses of its engines and trucks together, not from fewer`, () => {
    const rows = [...timed('E03', 3), ...timed('T03', 2), ...timed('E04', MIN_BASE_RESPONSES - 1, 37.78, -122.40), response('E29', 'ENGINE', 37.783, -122.405, null), response('E29', 'ENGINE', 37.784, -122.405, null)];
    const { units, stations } = deriveUnitsAndStations(rows, new Map());
    expect([...stations.keys()]).toEqual([3]);
    const by = new Map(units.map((u) => [u.id, u]));
    expect(by.get('E03')).toMatchObject({ stationNumber: 3, dispatchable: true });
    expect(by.get('E03')!.unplaced).toBeUndefined();
    expect(by.get('T03')!.unplaced).toBeUndefined();
    // Hostile twins: four timed responses, and two with no times at all, place nothing.
    expect(by.get('E04')).toMatchObject({ stationNumber: null, unplaced: true });
    expect(by.get('E29')).toMatchObject({ stationNumber: null, unplaced: true });
  });

  it('places it from a stations file whatever the data holds, and never marks a unit without a station number', () => {
    const rows = [response('E04', 'ENGINE', 37.78, -122.40, 90), response('M55', 'MEDIC', 37.79, -122.41, null)];
    const { units, stations } = deriveUnitsAndStations(rows, new Map([[4, { lat: 37.7725, lon: -122.389, name: 'Station 4' }]]));
    expect(stations.get(4)).toMatchObject({ lat: 37.7725, lon: -122.389, estimated: false });
    const by = new Map(units.map((u) => [u.id, u]));
    expect(by.get('E04')).toMatchObject({ stationNumber: 4, base: { lat: 37.7725, lon: -122.389 } });
    expect(by.get('E04')!.unplaced).toBeUndefined();
    expect(by.get('M55')!.unplaced).toBeUndefined();
  });
});
