import type { RoadCollection } from '../types';
import { labelAnchors, MAX_LABELS, placeLabels } from './street-label-placement';

/** A road as GeoJSON: `[lon, lat]` pairs. */
function road(name: string | undefined, coords: Array<[number, number]>): RoadCollection['features'][number] {
  return { type: 'Feature', properties: { highway: 'residential', ...(name === undefined ? {} : { name }) }, geometry: { type: 'LineString', coordinates: coords } };
}
const roads = (...f: RoadCollection['features']): RoadCollection => ({ type: 'FeatureCollection', features: f });

/** Web-Mercator-like projection for the tests: 1 px per 1e-5 degree, y down. */
const project = (lat: number, lon: number) => ({ x: (lon + 122.45) * 1e5, y: (37.8 - lat) * 1e5 });
const view = { width: 10000, height: 10000 };

describe('street names are placed along long roads, once per screen area', () => {
  it('anchors a named road halfway along its length, on the segment holding that point, longest road first', () => {
    // A 0.0005° (≈44 m) road is too short; two segments: 0.001° (≈88 m) east, then 0.003° (≈264 m) east: halfway (≈176 m) lies on the second.
    const a = labelAnchors(roads(road('Short St', [[-122.44, 37.79], [-122.4395, 37.79]]), road('Polk Street', [[-122.44, 37.79], [-122.439, 37.79], [-122.436, 37.79]])));
    expect(a.map((x) => x.name)).toEqual(['Polk Street']);
    expect(a[0].lon).toBeCloseTo(-122.438, 5);
    expect(a[0].lat).toBeCloseTo(37.79, 6);
    expect(a[0].from).toEqual([37.79, -122.439]);
    expect(a[0].lengthM).toBeGreaterThan(340);
  });

  it('gives unnamed, blank-named, one-point and too-short roads no label', () => {
    const a = labelAnchors(roads(road(undefined, [[-122.44, 37.79], [-122.43, 37.79]]), road('   ', [[-122.44, 37.79], [-122.43, 37.79]]), road('Dot', [[-122.44, 37.79]]), road('Tiny', [[-122.44, 37.79], [-122.4399, 37.79]])));
    expect(a).toEqual([]);
  });

  it('turns text along a north-south road upright, never upside down', () => {
    const down = labelAnchors(roads(road('Van Ness Avenue', [[-122.42, 37.80], [-122.42, 37.79]])));
    const up = labelAnchors(roads(road('Van Ness Avenue', [[-122.42, 37.79], [-122.42, 37.80]])));
    for (const a of [down, up]) {
      const [p] = placeLabels(a, project, view);
      expect(Math.abs(p.angleDeg)).toBe(90);
      expect(p.angleDeg).toBeGreaterThan(-90);
    }
    const west = placeLabels(labelAnchors(roads(road('Bay Street', [[-122.42, 37.80], [-122.43, 37.80]]))), project, view);
    expect(west[0].angleDeg === 0 || Object.is(west[0].angleDeg, -0)).toBe(true);
  });

  it('does not repeat a name within the gap, nor overlap two labels, nor draw outside the view', () => {
    // Three blocks of one street in a row (88, 70 and 88 m; 100 px apart on screen), a longer cross street
    // through the first block's label point, the same street 5 km away, and a road off screen.
    const blocks = [0, 1, 2].map((i) => road('Lombard Street', [[-122.44 + i * 0.001, 37.79], [-122.44 + (i + 1) * 0.001 - (i === 1 ? 0.0002 : 0), 37.79]]));
    const crossing = road('Hyde Street', [[-122.4395, 37.7905], [-122.4395, 37.7895]]);
    const far = road('Lombard Street', [[-122.40, 37.79], [-122.399, 37.79]]);
    const outside = road('Market Street', [[-122.0, 37.79], [-121.99, 37.79]]);
    const placed = placeLabels(labelAnchors(roads(...blocks, crossing, far, outside)), project, view);
    const xs = (name: string) => placed.filter((p) => p.anchor.name === name).map((p) => Math.round(project(p.anchor.lat, p.anchor.lon).x));
    // The longest road first; the first block's label would sit on it, the middle block's is too near the third's.
    expect(placed[0].anchor.name).toBe('Hyde Street');
    expect(xs('Lombard Street')).toEqual([1250, 5050]);
    expect(xs('Market Street')).toEqual([]);
  });

  it('draws at most MAX_LABELS however many roads are in view', () => {
    const many = Array.from({ length: 2000 }, (_, i) => road(`Street ${i}`, [[-122.45 + (i % 40) * 0.001, 37.8 - Math.floor(i / 40) * 0.0009], [-122.45 + (i % 40) * 0.001 + 0.0008, 37.8 - Math.floor(i / 40) * 0.0009]]));
    const placed = placeLabels(labelAnchors(roads(...many), 1), () => ({ x: 1, y: 1 }), view);
    expect(placed.length).toBeLessThanOrEqual(MAX_LABELS);
    const spread = placeLabels(labelAnchors(roads(...many), 1), (lat, lon) => ({ x: (lon + 122.45) * 1e6, y: (37.8 - lat) * 1e6 }), { width: 1e6, height: 1e6 });
    expect(spread).toHaveLength(MAX_LABELS);
  });
});
