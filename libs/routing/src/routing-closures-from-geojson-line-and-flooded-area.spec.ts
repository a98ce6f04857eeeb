import type { LineString, Polygon } from 'geojson';
import { RoadNetwork } from './index';

/*
 * A 3 x 3 grid of residential two-way streets, blocks 0.001° (about 111 m) apart:
 *   row r (lat 0.001·r) and column c (lon 0.001·c); OSM node id = 3r + c + 1.
 */
const nodes: string[] = [];
for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) nodes.push(`<node id="${3 * r + c + 1}" lat="${0.001 * r}" lon="${0.001 * c}"/>`);
const ways: string[] = [];
for (let r = 0; r < 3; r++) ways.push(`<way id="${100 + r}">${[0, 1, 2].map((c) => `<nd ref="${3 * r + c + 1}"/>`).join('')}<tag k="highway" v="residential"/><tag k="name" v="Row ${r}"/></way>`);
for (let c = 0; c < 3; c++) ways.push(`<way id="${200 + c}">${[0, 1, 2].map((r) => `<nd ref="${3 * r + c + 1}"/>`).join('')}<tag k="highway" v="residential"/><tag k="name" v="Col ${c}"/></way>`);
const XML = `<osm version="0.6">${nodes.join('')}${ways.join('')}</osm>`;

describe('road closures given as GeoJSON', () => {
  const net = RoadNetwork.fromOsmXml(XML);
  const at = (r: number, c: number): number => net.nodeByOsmId(3 * r + c + 1)!;
  const ends = (e: number): [number, number] => {
    const f = net.graph.forward;
    let u = 0;
    while (f.firstOut[u + 1] <= e) u++;
    return [u, f.head[e]];
  };
  const pairs = (ids: number[]): string[] => ids.map((e) => ends(e).map((v) => net.graph.osmId[v]).join('>')).sort();

  afterEach(() => net.setClosures([]));

  it('a LineString drawn along a street closes both directions of the blocks it covers, not the cross streets', () => {
    const row1: LineString = { type: 'LineString', coordinates: [[0, 0.001], [0.002, 0.001]] };
    expect(pairs(net.closuresFromGeoJson(row1))).toEqual(['4>5', '5>4', '5>6', '6>5']);
    const halfRow: LineString = { type: 'LineString', coordinates: [[-0.00002, 0.001], [0.00102, 0.00101]] };
    expect(pairs(net.closuresFromGeoJson(halfRow))).toEqual(['4>5', '5>4']);
  });

  it('a LineString farther than the tolerance selects nothing; a wider tolerance selects the street', () => {
    const offset: LineString = { type: 'LineString', coordinates: [[0, 0.00118], [0.002, 0.00118]] }; // about 20 m north of row 1
    expect(net.closuresFromGeoJson(offset)).toEqual([]);
    expect(net.closuresFromGeoJson(offset, { toleranceMetres: 25 })).toHaveLength(4);
  });

  it('a Polygon closes every edge with an end inside it or crossing it', () => {
    const aroundCentre: Polygon = {
      type: 'Polygon',
      coordinates: [[[0.0008, 0.0008], [0.0012, 0.0008], [0.0012, 0.0012], [0.0008, 0.0012], [0.0008, 0.0008]]],
    };
    expect(pairs(net.closuresFromGeoJson(aroundCentre))).toEqual(['2>5', '4>5', '5>2', '5>4', '5>6', '5>8', '6>5', '8>5']);
    const acrossOneBlock: Polygon = {
      type: 'Polygon',
      coordinates: [[[0.0004, -0.0001], [0.0006, -0.0001], [0.0006, 0.0001], [0.0004, 0.0001], [0.0004, -0.0001]]],
    };
    expect(pairs(net.closuresFromGeoJson(acrossOneBlock))).toEqual(['1>2', '2>1']);
  });

  it('closing a street re-routes around it, and routeUsesEdges tells which routes it cut', () => {
    const ids = net.closuresFromGeoJson({ type: 'LineString', coordinates: [[0, 0.001], [0.002, 0.001]] });
    const before = net.route(at(1, 0), at(1, 2))!;
    expect(before.nodes).toEqual([at(1, 0), at(1, 1), at(1, 2)]);
    expect(net.routeUsesEdges(before.nodes, ids)).toBe(true);
    net.setClosures(ids);
    expect(net.closedEdgeIds()).toEqual([...ids].sort((a, b) => a - b));
    const after = net.route(at(1, 0), at(1, 2))!;
    expect(after.seconds).toBeGreaterThan(before.seconds);
    expect(after.nodes).toHaveLength(5); // up a column, along row 0 or 2, back down
    expect(net.routeUsesEdges(after.nodes, ids)).toBe(false);
    expect(net.travelTimesTo(at(1, 2), [at(1, 0)])[0]).toBeCloseTo(after.seconds, 6);
    net.reopenEdges(ids);
    expect(net.route(at(1, 0), at(1, 2))!.seconds).toBeCloseTo(before.seconds, 9);
  });

  it('a flooded area that cuts a unit off makes it unreachable (Infinity, null), never a wrong ETA', () => {
    const corner: Polygon = {
      type: 'Polygon',
      coordinates: [[[-0.0002, -0.0002], [0.0002, -0.0002], [0.0002, 0.0002], [-0.0002, 0.0002], [-0.0002, -0.0002]]],
    };
    const unit = at(0, 0);
    const incident = at(2, 2);
    const open = net.travelTimesTo(incident, [unit, at(1, 1)]);
    expect(Number.isFinite(open[0])).toBe(true);
    net.closeEdges(net.closuresFromGeoJson(corner));
    const closed = net.travelTimesTo(incident, [unit, at(1, 1)]);
    expect(closed[0]).toBe(Infinity);
    expect(closed[1]).toBeCloseTo(open[1], 9);
    expect(net.route(unit, incident)).toBeNull();
    expect(net.route(incident, unit)).toBeNull();
    net.setClosures([]);
    expect(net.travelTimesTo(incident, [unit])[0]).toBeCloseTo(open[0], 9);
  });

  it('rejects unsupported geometries and invalid edge ids with a RangeError', () => {
    expect(() => net.closuresFromGeoJson({ type: 'Point', coordinates: [0, 0] } as unknown as LineString)).toThrow(RangeError);
    expect(() => net.closuresFromGeoJson({ type: 'LineString', coordinates: [[0, 0], [0, 0.001]] }, { toleranceMetres: -1 })).toThrow(/toleranceMetres/);
    expect(() => net.setClosures([net.edgeCount])).toThrow(RangeError);
    expect(() => net.closeEdges([1.5])).toThrow(RangeError);
  });
});
