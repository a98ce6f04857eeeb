import { Geocoder, normaliseStreet, parseOsmRoadGraph, RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/** A two-node OSM document whose one residential way carries `name` (as written in the XML). */
const osmNamed = (name: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><osm version="0.6"><node id="1" lat="37.78" lon="-122.41"/><node id="2" lat="37.781" lon="-122.41"/>` +
  `<way id="9"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="${name}"/></way></osm>`;

/**
 * The OSM extract writes apostrophes and ampersands as character references (`O&#39;Farrell Street`):
 * they are decoded once where the road names are read, and O'Farrell, OFarrell and O Farrell are one
 * street to the geocoder, as the SFFD's `OFARRELL ST` is.
 */
describe('road names with entities, and O\u2019Farrell spelt any way', () => {
  it('decodes numeric references and the five XML named entities in a road name, once', () => {
    expect(parseOsmRoadGraph(osmNamed('O&#39;Farrell Street')).ways[0].name).toBe("O'Farrell Street");
    expect(parseOsmRoadGraph(osmNamed('O&#x27;Reilly Avenue')).ways[0].name).toBe("O'Reilly Avenue");
    expect(parseOsmRoadGraph(osmNamed('A &#38; B &amp; C &lt;&gt;&quot;&apos;')).ways[0].name).toBe('A & B & C <>"\'');
    // Hostile twin: an escaped reference is text, not decoded a second time.
    expect(parseOsmRoadGraph(osmNamed('Odd &amp;#39; Lane')).ways[0].name).toBe('Odd &#39; Lane');
  });

  it("normalises O'Farrell, OFarrell and O Farrell alike, and leaves a lone O street as it is", () => {
    for (const typed of ["O'Farrell Street", 'OFarrell St', 'O Farrell St.', 'OFARRELL ST', 'o\u2019farrell street']) {
      expect(normaliseStreet(typed)).toBe('OFARRELL ST');
    }
    expect(normaliseStreet("Saint Joseph's Avenue")).toBe('SAINT JOSEPHS AVE');
    // Hostile twins: an O that is the whole name is not glued to the street type, nor to nothing.
    expect(normaliseStreet('O Street')).toBe('O ST');
    expect(normaliseStreet('Avenue O')).toBe('AVENUE O');
    expect(normaliseStreet('Oak Street')).toBe('OAK ST');
  });

  it('reads the real extract with no entity left in a road name, and finds O\u2019Farrell & Powell', () => {
    const net = RoadNetwork.fromOsmFile(SF_OSM);
    const names = new Set(net.graph.ways.map((w) => w.name).filter((n): n is string => !!n));
    expect([...names].filter((n) => /&#?\w+;/.test(n))).toEqual([]);
    expect(names).toContain("O'Farrell Street");
    expect(names).toContain("Saint Joseph's Avenue");
    const g = new Geocoder(net.roadsGeoJson(), []);
    for (const q of ["O'Farrell St & Powell St", 'OFarrell and Powell', 'O Farrell St / Powell St']) {
      expect(g.lookup(q)).toMatchObject({ precision: 'intersection', matched: 'OFARRELL ST & POWELL ST' });
    }
    expect(g.lookup("O'Farrell St & Columbus Ave")).toEqual({ miss: 'OFARRELL ST and COLUMBUS AVE do not meet on the map', code: 'streets_do_not_meet', params: { a: 'OFARRELL ST', b: 'COLUMBUS AVE' } });
  });
});
