import { parseMaxspeedKph, parseOsmRoadGraph } from './index';

/*
 * Every way below is a single 0.001° step due north along its own meridian, so its length is
 * R · 0.001° in radians (R = 6,371,008.8 m) and its time is that length / (km/h / 3.6).
 */
const R = 6_371_008.8;
const STEP_M = R * ((0.001 * Math.PI) / 180);
const secondsAt = (kph: number): number => STEP_M / (kph / 3.6);

const WAYS: { id: number; tags: Record<string, string> }[] = [
  { id: 1, tags: { highway: 'residential', maxspeed: '25 mph' } },
  { id: 2, tags: { highway: 'residential', maxspeed: '40' } },
  { id: 3, tags: { highway: 'primary', maxspeed: '50 km/h' } },
  { id: 4, tags: { highway: 'residential' } },
  { id: 5, tags: { highway: 'motorway', oneway: 'yes' } },
  { id: 6, tags: { highway: 'motorway_link', oneway: 'yes' } },
  { id: 7, tags: { highway: 'primary' } },
  { id: 8, tags: { highway: 'primary_link' } },
  { id: 9, tags: { highway: 'living_street' } },
  { id: 10, tags: { highway: 'service', maxspeed: 'none' } },
  { id: 11, tags: { highway: 'secondary', maxspeed: '25 mph;35 mph' } },
  { id: 12, tags: { highway: 'footway' } },
  { id: 13, tags: { highway: 'cycleway' } },
  { id: 14, tags: { highway: 'path' } },
  { id: 15, tags: { highway: 'steps' } },
  { id: 16, tags: { highway: 'pedestrian' } },
  { id: 17, tags: { highway: 'track' } },
  { id: 18, tags: { highway: 'construction' } },
  { id: 19, tags: { building: 'yes' } },
];

function fixture(): string {
  const parts = ['<?xml version="1.0"?>', '<osm version="0.6">'];
  for (const w of WAYS) {
    const lon = w.id * 0.01;
    parts.push(`<node id="${w.id * 10}" lat="0" lon="${lon}"/>`, `<node id="${w.id * 10 + 1}" lat="0.001" lon="${lon}"/>`);
    const tags = Object.entries(w.tags).map(([k, v]) => `<tag k="${k}" v="${v}"/>`).join('');
    parts.push(`<way id="${w.id}"><nd ref="${w.id * 10}"/><nd ref="${w.id * 10 + 1}"/>${tags}</way>`);
  }
  parts.push('</osm>');
  return parts.join('\n');
}

/** Seconds of the first edge leaving the first node of way `wayId` (found through the way list). */
function edgeSeconds(xml: string, wayId: number, options?: Parameters<typeof parseOsmRoadGraph>[1]): number {
  const g = parseOsmRoadGraph(xml, options);
  const way = g.ways.find((w) => w.osmId === wayId);
  if (!way) throw new Error(`way ${wayId} not in graph`);
  const tail = way.nodes[0];
  const e = g.forward.firstOut[tail];
  expect(g.forward.head[e]).toBe(way.nodes[1]);
  expect(g.forward.metres[e]).toBeCloseTo(STEP_M, 6);
  return g.forward.seconds[e];
}

describe('maxspeed tags and per-class default speeds', () => {
  const xml = fixture();

  it.each([
    [1, 25 * 1.609344, '"25 mph"'],
    [2, 40, 'bare "40" = km/h'],
    [3, 50, '"50 km/h"'],
    [11, 25 * 1.609344, 'a ";" list uses the lowest'],
  ])('way %i uses its maxspeed (%d km/h, %s)', (wayId, kph) => {
    expect(edgeSeconds(xml, wayId)).toBeCloseTo(secondsAt(kph), 6);
  });

  it.each([
    [4, 40, 'residential'],
    [5, 89, 'motorway'],
    [6, 89 * 0.7, 'motorway_link = 0.7 × motorway'],
    [7, 56, 'primary'],
    [8, 56 * 0.7, 'primary_link = 0.7 × primary'],
    [9, 16, 'living_street'],
    [10, 16, 'service with unusable maxspeed "none"'],
  ])('way %i falls back to the class default (%d km/h, %s)', (wayId, kph) => {
    expect(edgeSeconds(xml, wayId)).toBeCloseTo(secondsAt(kph), 6);
  });

  it('keeps only drivable highway classes and only their nodes', () => {
    const g = parseOsmRoadGraph(xml);
    expect(g.ways.map((w) => w.osmId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(g.nodeCount).toBe(22);
    // 9 two-way ways (2 edges each) + 2 one-way motorway ways
    expect(g.edgeCount).toBe(20);
    const kept = new Set(Array.from(g.osmId));
    for (const dropped of [120, 130, 140, 150, 160, 170, 180, 190]) expect(kept.has(dropped)).toBe(false);
  });

  it('lets callers override class defaults; a parent override also moves its link', () => {
    const opts = { defaultSpeedsKph: { residential: 30, primary: 60 } };
    expect(edgeSeconds(xml, 4, opts)).toBeCloseTo(secondsAt(30), 6);
    expect(edgeSeconds(xml, 7, opts)).toBeCloseTo(secondsAt(60), 6);
    expect(edgeSeconds(xml, 8, opts)).toBeCloseTo(secondsAt(42), 6);
    expect(edgeSeconds(xml, 1, opts)).toBeCloseTo(secondsAt(25 * 1.609344), 6); // a tag still wins
    expect(edgeSeconds(xml, 8, { defaultSpeedsKph: { primary: 60, primary_link: 20 } })).toBeCloseTo(secondsAt(20), 6);
  });

  it('rejects bad overrides with a RangeError naming the class', () => {
    expect(() => parseOsmRoadGraph(xml, { defaultSpeedsKph: { residential: 0 } })).toThrow(RangeError);
    expect(() => parseOsmRoadGraph(xml, { defaultSpeedsKph: { residential: NaN } })).toThrow(/residential/);
    expect(() => parseOsmRoadGraph(xml, { defaultSpeedsKph: { footway: 5 } })).toThrow(/footway/);
  });

  it('parses maxspeed strings into km/h', () => {
    expect(parseMaxspeedKph('25 mph')).toBeCloseTo(40.2336, 4);
    expect(parseMaxspeedKph('30mph')).toBeCloseTo(48.28032, 5);
    expect(parseMaxspeedKph('40')).toBe(40);
    expect(parseMaxspeedKph('50 km/h')).toBe(50);
    expect(parseMaxspeedKph('60 kmh')).toBe(60);
    expect(parseMaxspeedKph('10 knots')).toBeCloseTo(18.52, 6);
    expect(parseMaxspeedKph(' 35 MPH ')).toBeCloseTo(56.32704, 5);
    for (const bad of [undefined, '', 'none', 'signals', 'walk', 'US:urban', '0', '-5', 'fast']) {
      expect(parseMaxspeedKph(bad)).toBeUndefined();
    }
  });

  it('rejects documents that are not OSM or hold no drivable way', () => {
    expect(() => parseOsmRoadGraph('<html><body/></html>')).toThrow(/OSM/);
    expect(() => parseOsmRoadGraph('<osm version="0.6"><node id="1" lat="0" lon="0"/></osm>')).toThrow(/no drivable/);
  });
});
