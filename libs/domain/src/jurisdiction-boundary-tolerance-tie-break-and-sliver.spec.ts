import { point, pointToPolygonDistance } from '@turf/turf';
import type { Polygon } from 'geojson';
import { metresPerDegreeLon } from './degrees';
import { DEFAULT_BOUNDARY_TOLERANCE_M, JurisdictionIndex, JurisdictionShape } from './jurisdiction-index';

const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

// Metres to degrees of longitude at 37.79° N (111 320 m per degree × cos).
const lonM = (m: number) => m / metresPerDegreeLon(37.79);

// Two districts split at -122.42; district 1 holds two streets split at -122.43, plus a sliver strip
// (-122.4205..-122.42) whose neighborhood piece was dropped: it is in district 1 but in no street.
const shapes: JurisdictionShape[] = [
  { id: 'c', name: 'City', level: 'city', parentId: null, boundary: square(-122.44, 37.78, -122.4, 37.8) },
  { id: 'c-d1', name: 'D1', level: 'district', parentId: 'c', boundary: square(-122.44, 37.78, -122.42, 37.8) },
  { id: 'c-d2', name: 'D2', level: 'district', parentId: 'c', boundary: square(-122.42, 37.78, -122.4, 37.8) },
  { id: 'c-d1-a', name: 'A', level: 'street', parentId: 'c-d1', boundary: square(-122.44, 37.78, -122.43, 37.8) },
  { id: 'c-d1-b', name: 'B', level: 'street', parentId: 'c-d1', boundary: square(-122.43, 37.78, -122.4205, 37.8) },
  { id: 'c-d2-east', name: 'East', level: 'street', parentId: 'c-d2', boundary: square(-122.42, 37.78, -122.4, 37.8) },
];

describe('placing a point within BOUNDARY_TOLERANCE_M of a boundary line: the documented tie-break', () => {
  const index = new JurisdictionIndex(shapes, 10);

  it('keeps a point in the polygon that holds it, flagged near the boundary and naming the neighbour', () => {
    const p = index.locate(37.79, -122.43 - lonM(4)); // 4 m west of the A|B line, inside A
    expect(p).toMatchObject({ streetId: 'c-d1-a', districtId: 'c-d1', outsideBoundary: false, nearBoundary: true, neighbourStreetIds: ['c-d1-b'] });
    const q = index.locate(37.79, -122.43 + lonM(4)); // 4 m east, inside B
    expect(q).toMatchObject({ streetId: 'c-d1-b', nearBoundary: true, neighbourStreetIds: ['c-d1-a'] });
  });

  it('does not flag a point farther than the tolerance from every line', () => {
    const p = index.locate(37.79, -122.43 - lonM(30));
    expect(p).toMatchObject({ streetId: 'c-d1-a', nearBoundary: false, neighbourStreetIds: [] });
  });

  it('a point inside a dropped sliver stays in the district that holds it, even when another district’s street is nearer', () => {
    const p = index.locate(37.79, -122.42 - lonM(3)); // in the sliver: 3 m from district 2's East street, ~41 m from B
    expect(p).toMatchObject({ streetId: 'c-d1-b', districtId: 'c-d1', outsideBoundary: false });
  });

  it('a point a few metres outside the city’s edge is line precision, not outside; farther out it is flagged', () => {
    const near = index.locate(37.79, -122.4 + lonM(5));
    expect(near).toMatchObject({ streetId: 'c-d2-east', outsideBoundary: false, nearBoundary: true });
    const far = index.locate(37.79, -122.4 + lonM(50));
    expect(far).toMatchObject({ streetId: 'c-d2-east', outsideBoundary: true, nearBoundary: false });
  });

  it('tolerance 0 is the line as drawn; a negative tolerance is refused', () => {
    const strict = new JurisdictionIndex(shapes, 0);
    expect(strict.locate(37.79, -122.4 + lonM(5))).toMatchObject({ outsideBoundary: true, nearBoundary: false });
    expect(strict.locate(37.79, -122.43 - lonM(1))).toMatchObject({ streetId: 'c-d1-a', nearBoundary: false });
    expect(() => new JurisdictionIndex(shapes, -1)).toThrow(/tolerance/);
    expect(() => new JurisdictionIndex(shapes, NaN)).toThrow(/tolerance/);
    expect(DEFAULT_BOUNDARY_TOLERANCE_M).toBe(10);
  });

  it('flags a point near a line exactly as turf’s geodesic distance says, on both sides of the tolerance', () => {
    // The planar estimate decides alone far from 10 m (5 m, 30 m); turf decides in the band (9.9 m, 10.1 m, 12 m).
    for (const m of [0.5, 5, 7.5, 9.9, 10.1, 12, 13, 30]) {
      const lon = -122.43 - lonM(m);
      const turfM = Math.abs(pointToPolygonDistance(point([lon, 37.79]), shapes[3].boundary, { units: 'meters' }));
      const p = index.locate(37.79, lon);
      expect({ m, near: p.nearBoundary, neighbours: p.neighbourStreetIds }).toEqual({ m, near: turfM <= 10, neighbours: turfM <= 10 ? ['c-d1-b'] : [] });
    }
    // Turf's metre at this latitude is a little shorter than the planar one: 9.9 m and 10.1 m land on either side.
    expect(index.locate(37.79, -122.43 - lonM(9.9)).nearBoundary).toBe(true);
    expect(index.locate(37.79, -122.43 - lonM(10.1)).nearBoundary).toBe(false);
  });

  it('follows turf on a 20 km line too, where the great-circle arc strays metres from the straight line (hostile review)', () => {
    // Two streets sharing one east-west line about 20 km long at 45° N (a rural district line): turf measures to
    // the arc, which bows about 7.8 m north of the straight line midway, so a point 4 m south of the line is ~12 m
    // from it; a point 15 m north is ~7 m from it.
    const W = -100.127, E = -99.873, Y = 45.0;
    const box = (y0: number, y1: number): Polygon => square(W, y0, E, y1);
    const long = new JurisdictionIndex(
      [
        { id: 'r', name: 'R', level: 'city', parentId: null, boundary: box(Y - 0.05, Y + 0.05) },
        { id: 'r-d', name: 'D', level: 'district', parentId: 'r', boundary: box(Y - 0.05, Y + 0.05) },
        { id: 'r-d-n', name: 'N', level: 'street', parentId: 'r-d', boundary: box(Y, Y + 0.05) },
        { id: 'r-d-s', name: 'S', level: 'street', parentId: 'r-d', boundary: box(Y - 0.05, Y) },
      ],
      10,
    );
    for (const m of [-15, -9, -4, 2, 4, 7, 15]) {
      const lat = Y - m / 111320; // m metres south of the straight line (negative: north), midway along it
      const own = m > 0 ? 'r-d-s' : 'r-d-n';
      const turfM = Math.abs(pointToPolygonDistance(point([-100, lat]), own === 'r-d-s' ? box(Y - 0.05, Y) : box(Y, Y + 0.05), { units: 'meters' }));
      const p = long.locate(lat, -100);
      expect({ m, street: p.streetId, near: p.nearBoundary }).toEqual({ m, street: own, near: turfM <= 10 });
    }
    expect(long.locate(Y - 4 / 111320, -100).nearBoundary).toBe(false);
  });
});
