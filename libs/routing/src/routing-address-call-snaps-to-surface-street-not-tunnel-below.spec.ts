import { EdgeSnapIndex, RoadNetwork, buildRoadGraph } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/**
 * Issue 18, "snapping into a tunnel": a call at the Presidio Main Post, 13 m above the US 101
 * (Presidio Parkway) Main Post tunnel and 75 m from the nearest surface street, snapped to a tunnel
 * node; the engine on Lincoln Boulevard was routed up an on-ramp into the tunnel (1,064 m, 78 s)
 * instead of along the surface (130 m, 12 s).
 */
describe('an address call snaps to the surface street, not to the tunnel below it', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const mainPost = { lat: 37.803, lon: -122.456 };
  const engineOnLincoln = net.nodeByOsmId(3722628275)!; // Lincoln Blvd, 154 m away

  it('reproduces the condition: the nearest node of any road is a tunnel node 13 m away', () => {
    const s = net.snap(mainPost.lat, mainPost.lon);
    expect(s.distanceMetres).toBeCloseTo(13.4, 0);
    const g = net.graph;
    expect(g.ways[g.edgeWay[g.forward.firstOut[s.node]]]).toMatchObject({ ref: 'US 101', tunnel: 'yes', highway: 'motorway' });
    expect(net.route(engineOnLincoln, s.node)!.metres).toBeGreaterThan(1000); // the old route through the on-ramp
  });

  it('the access point is on French Court, 75 m away, and the engine drives 130 m in 12 s', () => {
    const a = net.accessPoint(mainPost.lat, mainPost.lon);
    expect(a.road).toMatchObject({ name: 'French Court', surface: true });
    expect(a.distanceMetres).toBeCloseTo(74.6, 0);
    const r = net.routeToApproach(engineOnLincoln, net.approach(mainPost.lat, mainPost.lon))!;
    expect(r.metres).toBeCloseTo(130, -1);
    expect(r.seconds).toBeCloseTo(12, 0);
    expect(r.geometry.coordinates.at(-1)).toEqual([a.lon, a.lat]);
  });

  it('a traffic collision naming US 101 snaps into the tunnel, on the carriageway of its direction', () => {
    const index = new EdgeSnapIndex(net.graph);
    const east = net.accessPoint(mainPost.lat, mainPost.lon, { roadway: 'US-101 eastbound' });
    const west = net.accessPoint(mainPost.lat, mainPost.lon, { roadway: 'us 101', headingDegrees: 260 });
    for (const a of [east, west]) expect(a.road).toMatchObject({ ref: 'US 101', surface: false });
    expect(east.legs).toHaveLength(1);
    expect(index.bearing(east.legs[0].edge)).toBeLessThan(120);
    expect(index.bearing(west.legs[0].edge)).toBeGreaterThan(200);
    expect(east.road!.osmId).not.toBe(west.road!.osmId);
  });

  it('a roadway name that matches nothing nearby falls back to the address rule, never throws', () => {
    expect(net.accessPoint(mainPost.lat, mainPost.lon, { roadway: 'Nowhere Expressway' }).road).toMatchObject({ surface: true });
  });

  it('a point with no surface street within reach (on the motorway itself) snaps to the motorway', () => {
    const a = net.accessPoint(mainPost.lat, mainPost.lon, { surfaceWithinMetres: 20 });
    expect(a.road).toMatchObject({ surface: false });
    expect(a.distanceMetres).toBeLessThan(14);
  });

  it('on a divided arterial (Van Ness Ave) each carriageway takes the calls on its side, one direction each', () => {
    const west = net.accessPoint(37.7965, -122.4237);
    const east = net.accessPoint(37.7965, -122.42345);
    expect(west.road!.name).toBe('Van Ness Avenue');
    expect(east.road!.name).toBe('Van Ness Avenue');
    expect(west.road!.osmId).not.toBe(east.road!.osmId);
    expect(west.legs).toHaveLength(1);
    expect(east.legs).toHaveLength(1);
  });

  it('rejects a bad heading or coordinate naming the field', () => {
    expect(() => net.accessPoint(mainPost.lat, mainPost.lon, { headingDegrees: Number.NaN })).toThrow(/headingDegrees/);
    expect(() => net.accessPoint(91, 0)).toThrow(/lat/);
  });

  it('on a graph without way tags (a synthetic city) every road counts as a surface street and the edge point is nearer than any node', () => {
    // Two nodes 200 m apart on one two-way street: a point beside its middle.
    const g = buildRoadGraph({
      lat: Float64Array.from([0, 0]), lon: Float64Array.from([0, 0.0018]), osmId: Float64Array.from([1, 2]),
      tail: Uint32Array.from([0, 1]), head: Uint32Array.from([1, 0]), metres: Float64Array.from([200, 200]),
      seconds: Float64Array.from([20, 20]), ways: [],
    });
    const small = new RoadNetwork(g);
    const a = small.accessPoint(0.0001, 0.0009);
    expect(a.distanceMetres).toBeCloseTo(11.1, 0);
    expect(a.road).toBeNull();
    expect(a.legs.map((l) => l.seconds)).toEqual([10, 10]);
    expect(Array.from(small.travelTimesToApproach(small.approach(0.0001, 0.0009), [0, 1]))).toEqual([10, 10]);
  });
});
