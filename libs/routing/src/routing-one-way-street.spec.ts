import { RoadNetwork } from './index';

/*
 * Hand-drawn grid on the equator, 0.001° (≈111.2 m) spacing:
 *
 *   C(2) ---- D(4)            ring R1(10) -> R2(11) -> R3(12) -> R1 (junction=roundabout, no oneway tag)
 *   |          |
 *   A(1) ---> B(3) <--- E(5)  A->B oneway=yes; B-E oneway=-1 (drawn B->E, drivable E->B only)
 *
 *   M1(20) -> M2(21) motorway without oneway tag; N1(30) - N2(31) motorway with oneway=no
 */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="0" lon="0"/>
  <node id="2" lat="0.001" lon="0"/>
  <node id="3" lat="0" lon="0.001"/>
  <node id="4" lat="0.001" lon="0.001"/>
  <node id="5" lat="0" lon="0.002"/>
  <node id="10" lat="0.010" lon="0.010"/>
  <node id="11" lat="0.010" lon="0.011"/>
  <node id="12" lat="0.011" lon="0.0105"/>
  <node id="20" lat="0.020" lon="0"/>
  <node id="21" lat="0.020" lon="0.001"/>
  <node id="30" lat="0.030" lon="0"/>
  <node id="31" lat="0.030" lon="0.001"/>
  <way id="100"><nd ref="1"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/><tag k="name" v="One Way St"/></way>
  <way id="101"><nd ref="1"/><nd ref="2"/><nd ref="4"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="102"><nd ref="3"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="oneway" v="-1"/></way>
  <way id="110"><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="10"/><tag k="highway" v="tertiary"/><tag k="junction" v="roundabout"/></way>
  <way id="120"><nd ref="20"/><nd ref="21"/><tag k="highway" v="motorway"/></way>
  <way id="130"><nd ref="30"/><nd ref="31"/><tag k="highway" v="motorway"/><tag k="oneway" v="no"/></way>
</osm>`;

const R = 6_371_008.8;
const STEP_M = R * ((0.001 * Math.PI) / 180); // one 0.001° step on the equator / a meridian
const RESIDENTIAL_MPS = 40 / 3.6;

describe('one-way streets', () => {
  const net = RoadNetwork.fromOsmXml(XML);
  const id = (osm: number): number => {
    const v = net.nodeByOsmId(osm);
    if (v === undefined) throw new Error(`fixture node ${osm} missing from graph`);
    return v;
  };
  const osmPath = (nodes: number[]): number[] => nodes.map((v) => net.graph.osmId[v]);

  it('drives a oneway=yes street forwards directly', () => {
    const r = net.route(id(1), id(3));
    expect(r).not.toBeNull();
    expect(osmPath(r!.nodes)).toEqual([1, 3]);
    expect(r!.metres).toBeCloseTo(STEP_M, 3);
    expect(r!.seconds).toBeCloseTo(STEP_M / RESIDENTIAL_MPS, 6);
  });

  it('never drives it backwards: the route goes around the block', () => {
    const r = net.route(id(3), id(1));
    expect(r).not.toBeNull();
    expect(osmPath(r!.nodes)).toEqual([3, 4, 2, 1]);
    expect(r!.metres).toBeCloseTo(3 * STEP_M, 2);
    expect(r!.seconds).toBeCloseTo((3 * STEP_M) / RESIDENTIAL_MPS, 4);
    expect(r!.geometry.coordinates).toEqual([[0.001, 0], [0.001, 0.001], [0, 0.001], [0, 0]]);
  });

  it('agrees with the reverse one-to-many search in both directions', () => {
    const [fromB] = net.travelTimesTo(id(1), [id(3)]);
    const [fromA] = net.travelTimesTo(id(3), [id(1)]);
    expect(fromB).toBeCloseTo((3 * STEP_M) / RESIDENTIAL_MPS, 4);
    expect(fromA).toBeCloseTo(STEP_M / RESIDENTIAL_MPS, 6);
  });

  it('oneway=-1 is drivable only against the drawing direction', () => {
    expect(net.route(id(5), id(3))?.nodes.map((v) => net.graph.osmId[v])).toEqual([5, 3]);
    expect(net.route(id(3), id(5))).toBeNull();
    expect(net.travelTimesTo(id(5), [id(3), id(1)])).toEqual(new Float64Array([Infinity, Infinity]));
  });

  it('treats an untagged roundabout as one-way in drawing order', () => {
    expect(osmPath(net.route(id(10), id(11))!.nodes)).toEqual([10, 11]);
    expect(osmPath(net.route(id(11), id(10))!.nodes)).toEqual([11, 12, 10]);
  });

  it('treats an untagged motorway as one-way, and honours oneway=no on a motorway', () => {
    expect(net.route(id(20), id(21))).not.toBeNull();
    expect(net.route(id(21), id(20))).toBeNull();
    expect(net.route(id(30), id(31))).not.toBeNull();
    expect(net.route(id(31), id(30))).not.toBeNull();
  });

  it('draws one-way roads in their direction of travel', () => {
    const fc = net.roadsGeoJson();
    expect(fc.type).toBe('FeatureCollection');
    const byId = new Map(fc.features.map((f) => [f.id, f]));
    expect(fc.features).toHaveLength(6);
    expect(byId.get(100)!.properties).toEqual({ highway: 'residential', name: 'One Way St', oneway: true });
    expect(byId.get(101)!.properties).toEqual({ highway: 'residential', oneway: false });
    expect(byId.get(102)!.properties.oneway).toBe(true);
    expect(byId.get(102)!.geometry.coordinates).toEqual([[0.002, 0], [0.001, 0]]); // E -> B
    expect(byId.get(110)!.properties.oneway).toBe(true);
    expect(byId.get(120)!.properties.oneway).toBe(true);
    expect(byId.get(130)!.properties.oneway).toBe(false);
  });
});
