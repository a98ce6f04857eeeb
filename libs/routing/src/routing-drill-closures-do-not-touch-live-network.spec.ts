import { RoadNetwork } from './index';

/*
 * A drill routes on a copy of the live network that shares the graph and the contraction
 * hierarchy but has its own closures: a road closed in the drill is closed only there.
 * Grid: a 3 x 3 grid of two-way residential streets, blocks 0.001° (about 111 m) apart.
 */
const nodes: string[] = [];
for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) nodes.push(`<node id="${3 * r + c + 1}" lat="${0.001 * r}" lon="${0.001 * c}"/>`);
const ways: string[] = [];
for (let r = 0; r < 3; r++) ways.push(`<way id="${100 + r}">${[0, 1, 2].map((c) => `<nd ref="${3 * r + c + 1}"/>`).join('')}<tag k="highway" v="residential"/></way>`);
for (let c = 0; c < 3; c++) ways.push(`<way id="${200 + c}">${[0, 1, 2].map((r) => `<nd ref="${3 * r + c + 1}"/>`).join('')}<tag k="highway" v="residential"/></way>`);
const XML = `<osm version="0.6">${nodes.join('')}${ways.join('')}</osm>`;

describe('a drill network with its own closures', () => {
  it('closes roads for the drill only, and the live network keeps its own closures', () => {
    const live = RoadNetwork.fromOsmXml(XML);
    const drill = live.withOwnClosures();
    const a = live.nodeByOsmId(1)!; // row 0, col 0
    const b = live.nodeByOsmId(3)!; // row 0, col 2
    const open = live.route(a, b)!.seconds;
    expect(drill.route(a, b)!.seconds).toBeCloseTo(open, 9);

    // Row 0 closed in the drill: the drill detours through row 1, live still drives straight.
    const row0 = drill.closuresFromGeoJson({ type: 'LineString', coordinates: [[0, 0], [0.002, 0]] });
    drill.setClosures(row0);
    expect(drill.route(a, b)!.seconds).toBeGreaterThan(open * 1.5);
    expect(live.route(a, b)!.seconds).toBeCloseTo(open, 9);
    expect(live.closedEdgeIds()).toEqual([]);

    // A live closure does not leak into the drill's copy either (the drill adds live closures itself).
    const col1 = live.closuresFromGeoJson({ type: 'LineString', coordinates: [[0.001, 0], [0.001, 0.002]] });
    live.setClosures(col1);
    expect(drill.closedEdgeIds()).toEqual([...row0].sort((x, y) => x - y));
    expect(drill.travelTimesTo(b, [a])[0]).toBeCloseTo(drill.route(a, b)!.seconds, 6);
  });
});
