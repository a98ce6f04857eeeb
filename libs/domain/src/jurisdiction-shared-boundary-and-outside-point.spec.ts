import type { Polygon } from 'geojson';
import { JurisdictionIndex, JurisdictionShape } from './jurisdiction-index';

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

// Two streets side by side sharing the meridian -122.42, each in its own district.
const shapes: JurisdictionShape[] = [
  { id: 'c', name: 'City', level: 'city', parentId: null, boundary: square(-122.44, 37.78, -122.4, 37.8) },
  { id: 'c-d1', name: 'D1', level: 'district', parentId: 'c', boundary: square(-122.44, 37.78, -122.42, 37.8) },
  { id: 'c-d2', name: 'D2', level: 'district', parentId: 'c', boundary: square(-122.42, 37.78, -122.4, 37.8) },
  { id: 'c-d2-east', name: 'East', level: 'street', parentId: 'c-d2', boundary: square(-122.42, 37.78, -122.4, 37.8) },
  { id: 'c-d1-west', name: 'West', level: 'street', parentId: 'c-d1', boundary: square(-122.44, 37.78, -122.42, 37.8) },
];

describe('placing a point in the command chain', () => {
  const index = new JurisdictionIndex(shapes);

  it('finds the street, its district and the city for an inside point', () => {
    expect(index.locate(37.79, -122.43)).toMatchObject({ streetId: 'c-d1-west', districtId: 'c-d1', cityId: 'c', outsideBoundary: false });
    expect(index.chain('c-d2-east')).toEqual(['c-d2-east', 'c-d2', 'c']);
  });

  it('gives a point on a shared boundary one deterministic owner (lowest id), whatever the input order', () => {
    const a = index.locate(37.79, -122.42);
    const b = new JurisdictionIndex([...shapes].reverse()).locate(37.79, -122.42);
    expect(a.streetId).toBe('c-d1-west');
    expect(b.streetId).toBe('c-d1-west');
  });

  it('gives a point outside every street to the nearest one, flagged, with its distance', () => {
    const p = index.locate(37.79, -122.395); // ~440 m east of the east street
    expect(p).toMatchObject({ streetId: 'c-d2-east', districtId: 'c-d2', outsideBoundary: true });
    expect(p.distanceMetres).toBeGreaterThan(400);
    expect(p.distanceMetres).toBeLessThan(480);
  });
});

describe('a point in a gap between streets but inside a district', () => {
  // The west street covers only the west half of district 1, leaving a gap inside the district.
  const gapShapes: JurisdictionShape[] = shapes.map((s) =>
    s.id === 'c-d1-west' ? { ...s, boundary: square(-122.44, 37.78, -122.43, 37.8) } : s,
  );
  const index = new JurisdictionIndex(gapShapes);

  it('goes to the nearest street of that district, not flagged as outside', () => {
    const p = index.locate(37.79, -122.4205); // in district 1, nearer to the east street of district 2
    expect(p).toMatchObject({ streetId: 'c-d1-west', districtId: 'c-d1', outsideBoundary: false });
  });
});
