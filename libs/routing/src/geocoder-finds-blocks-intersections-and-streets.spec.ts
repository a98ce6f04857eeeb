import type { FeatureCollection, LineString } from 'geojson';
import { Geocoder, haversineMetres, normaliseStreet, RoadNetwork } from './index';
import type { RoadFeatureProperties } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/*
 * Main Street runs east along lat 0 (lon 0 .. 0.003, vertices every 0.0005); Oak Avenue runs north
 * along lon 0.001. Past calls put the 100 and 300 blocks of Main St at known points.
 */
const line = (name: string, coordinates: number[][]) => ({ type: 'Feature' as const, properties: { highway: 'residential', name, oneway: false }, geometry: { type: 'LineString' as const, coordinates } });
const roads: FeatureCollection<LineString, RoadFeatureProperties> = {
  type: 'FeatureCollection',
  features: [
    line('Main Street', [0, 0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.003].map((x) => [x, 0])),
    line('Oak Avenue', [[0.001, -0.001], [0.001, 0], [0.001, 0.001]]),
    line('', [[5, 5], [5, 6]]),
  ],
};
const known = [
  { address: '100 Block of MAIN ST', lat: 0, lon: 0.0005 },
  { address: '100 Block of MAIN ST', lat: 0, lon: 0.0006 },
  { address: '100 Block of MAIN ST', lat: 0, lon: 0.0007 },
  { address: '300 Block of MAIN ST', lat: 0, lon: 0.0025 },
  { address: 'MAIN ST/OAK AV', lat: 0, lon: 0.001 },
];

describe('finding a typed address on the city streets', () => {
  const g = new Geocoder(roads, known);

  it('spells street names one way: OSM "Columbus Avenue" and SFFD "COLUMBUS AV" both match "COLUMBUS AVE"', () => {
    expect(normaliseStreet('Columbus Avenue')).toBe('COLUMBUS AVE');
    expect(normaliseStreet('COLUMBUS AV')).toBe('COLUMBUS AVE');
    expect(normaliseStreet("O'Farrell St.")).toBe('OFARRELL ST');
    expect(g.size).toEqual({ streets: 2, blocks: 2 });
  });

  it('puts a house number on its known block (median of the calls there)', () => {
    expect(g.geocode('150 Main Street')).toEqual({ lat: 0, lon: 0.0006, precision: 'block', matched: '100 Block of MAIN ST' });
    expect(g.geocode('100 Block of MAIN ST')).toMatchObject({ precision: 'block', lon: 0.0006 });
  });

  it('interpolates between known blocks and snaps onto the street when its own block is unknown', () => {
    expect(g.geocode('250 main st')).toEqual({ lat: 0, lon: 0.0015, precision: 'interpolated', matched: '200 Block of MAIN ST' });
  });

  it('finds where two named streets meet, with any usual separator', () => {
    for (const q of ['Main St & Oak Ave', 'MAIN ST/OAK AV', 'oak avenue and main street', 'Main St at Oak Ave']) {
      const r = g.geocode(q)!;
      expect(r).toMatchObject({ lat: 0, lon: 0.001, precision: 'intersection' });
      expect(r.matched.split(' & ').sort()).toEqual(['MAIN ST', 'OAK AVE']);
    }
  });

  it('falls back to the middle of the street when no block is known, and finds nothing for an unknown street', () => {
    expect(g.geocode('5 Oak Ave')).toEqual({ lat: 0, lon: 0.001, precision: 'street', matched: 'OAK AVE' });
    expect(g.geocode('Nowhere Street')).toBeNull();
    expect(g.geocode('Main St & Nowhere St')).toBeNull();
    expect(g.geocode('   ')).toBeNull();
  });

  it('says why an address is not found: no such street, streets that do not meet, a number past the known ones', () => {
    expect(g.lookup('Nowhere Street')).toEqual({ miss: 'no street named NOWHERE ST', code: 'no_street', params: { street: 'NOWHERE ST' } });
    expect(g.lookup('Main St & Nowhere St')).toEqual({ miss: 'no street named NOWHERE ST', code: 'no_street', params: { street: 'NOWHERE ST' } });
    // The 100 and 300 blocks are known: 400 (one block past) is still placed, 99999 is not on Main St.
    expect(g.lookup('450 Main St')).toMatchObject({ precision: 'interpolated', matched: '400 Block of MAIN ST' });
    expect(g.lookup('99999 Main St')).toEqual({ miss: '99999 is not on MAIN ST: the numbers known there run from 100 to 399', code: 'number_not_on_street', params: { number: 99999, street: 'MAIN ST', first: 100, last: 399 } });
    expect(g.geocode('99999 Main St')).toBeNull();
    const parallel = new Geocoder(
      { ...roads, features: [...roads.features, line('Elm Street', [[0, 0.002], [0.003, 0.002]])] },
      known,
    );
    expect(parallel.lookup('Main St & Elm St')).toEqual({ miss: 'MAIN ST and ELM ST do not meet on the map', code: 'streets_do_not_meet', params: { a: 'MAIN ST', b: 'ELM ST' } });
  });

  it('understands streets named without their type: "main and oak", "150 Main"', () => {
    expect(g.lookup('main and oak')).toMatchObject({ lat: 0, lon: 0.001, precision: 'intersection' });
    expect(g.lookup('150 Main')).toMatchObject({ precision: 'block', matched: '100 Block of MAIN ST' });
    expect(g.lookup('Oak')).toMatchObject({ precision: 'street', matched: 'OAK AVE' });
  });

  it('finds a real San Francisco intersection on the OSM extract: Columbus Ave & Union St (Washington Square)', () => {
    const sf = new Geocoder(RoadNetwork.fromOsmFile(SF_OSM).roadsGeoJson(), []);
    const r = sf.geocode('Columbus Ave & Union St')!;
    expect(r.precision).toBe('intersection');
    // Surveyed corner (OSM): about 37.8007, -122.4101.
    expect(haversineMetres(r.lat, r.lon, 37.8007, -122.4101)).toBeLessThan(60);
    // Said the way a caller says it.
    const spoken = sf.lookup('Columbus and Union');
    expect(spoken).toMatchObject({ precision: 'intersection' });
    expect(sf.lookup('Columbus Ave & Market St')).toEqual({ miss: 'COLUMBUS AVE and MARKET ST do not meet on the map', code: 'streets_do_not_meet', params: { a: 'COLUMBUS AVE', b: 'MARKET ST' } });
  });
});
