import { RoadNetwork, buildRoadGraph, touchesSurfaceStreet, unitStartNode } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/**
 * What a hostile tester saw: Medic 60, parked at the Presidio Main Post 75 m from a P1 medical call,
 * snapped to its nearest node, 0.2 m away but 13 m below: a node of the US 101 (Presidio Parkway)
 * tunnel. Its route left westward through the tunnel and came back: 5,356 m, 338 s, so KM13, 2.7 km
 * away (280 s), was sent. Calls already preferred the surface street (issue 18); a unit's start now
 * does too, by the same rule and reach, unless its AVL track shows it driving through the tunnel.
 */
describe('a unit parked above a tunnel starts on the surface street; one driving through it keeps the tunnel', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const g = net.graph;
  const medic60 = { lat: 37.80306, lon: -122.45613 };
  const call = { lat: 37.803, lon: -122.456 };
  const tunnelNode = net.snap(medic60.lat, medic60.lon).node;
  // The westbound tunnel node 34 m east of Medic 60's point (its in-edge's tail, same carriageway).
  const eastInTunnel = g.reverse.head[g.reverse.firstOut[tunnelNode]];
  const at = (v: number) => ({ lat: g.lat[v], lon: g.lon[v] });
  const wayOfOut = (v: number) => g.ways[g.edgeWay[g.forward.firstOut[v]]];

  it('reproduces the condition: the nearest node is a tunnel node, and the route from it is 5.4 km', () => {
    expect(wayOfOut(tunnelNode)).toMatchObject({ ref: 'US 101', tunnel: 'yes', highway: 'motorway' });
    expect(touchesSurfaceStreet(g, tunnelNode)).toBe(false);
    const old = net.routeToApproach(tunnelNode, net.approach(call.lat, call.lon))!;
    expect(old.metres).toBeGreaterThan(5000);
    expect(old.seconds).toBeGreaterThan(300);
  });

  it('parked (no track): Medic 60 starts on the surface street an address there snaps to, and reaches the call in seconds', () => {
    const start = unitStartNode(net, medic60.lat, medic60.lon);
    expect(start.rule).toBe('surface-street');
    expect(touchesSurfaceStreet(g, start.node)).toBe(true);
    expect(start.distanceMetres).toBeLessThan(150);
    const r = net.routeToApproach(start.node, net.approach(call.lat, call.lon))!;
    expect(r.metres).toBeLessThan(200);
    expect(r.seconds).toBeLessThan(30);
    // The same street the call's access point is on (French Court).
    expect(net.accessPoint(g.lat[start.node], g.lon[start.node]).road).toMatchObject({ surface: true });
  });

  it('driving west through the tunnel (a fix 34 m back along it, then this one): keeps the tunnel node', () => {
    const track = { previous: { ...at(eastInTunnel), accuracyM: 5 }, current: { ...medic60, accuracyM: 5 } };
    expect(unitStartNode(net, medic60.lat, medic60.lon, track)).toMatchObject({ node: tunnelNode, rule: 'driving-roadway' });
  });

  it('hostile twins: a parked phone wandering 8 m, a coarse pair within its accuracy, a move across the tunnel all start on the street', () => {
    const wander = { previous: { lat: medic60.lat + 8 / 111_195, lon: medic60.lon, accuracyM: 5 }, current: { ...medic60, accuracyM: 5 } };
    const coarse = { previous: { ...at(eastInTunnel), accuracyM: 30 }, current: { ...medic60, accuracyM: 30 } };
    const across = { previous: { lat: medic60.lat - 40 / 111_195, lon: medic60.lon, accuracyM: 5 }, current: { ...medic60, accuracyM: 5 } };
    for (const track of [wander, coarse, across]) {
      expect(unitStartNode(net, medic60.lat, medic60.lon, track).rule).toBe('surface-street');
    }
  });

  it('a unit at an ordinary station, or anywhere its nearest node touches a surface street, starts exactly where snap puts it', () => {
    // Chinatown, the Marina (Marina Blvd), Van Ness Ave, and a point on the Embarcadero.
    for (const p of [{ lat: 37.7948, lon: -122.405 }, { lat: 37.8051625655624, lon: -122.432957440518 }, { lat: 37.7965, lon: -122.4237 }, { lat: 37.7993, lon: -122.3977 }]) {
      const s = net.snap(p.lat, p.lon);
      expect(unitStartNode(net, p.lat, p.lon)).toEqual({ ...s, rule: 'nearest-node' });
      // A track never moves such a unit.
      expect(unitStartNode(net, p.lat, p.lon, { previous: { lat: p.lat + 0.001, lon: p.lon }, current: p }).node).toBe(s.node);
    }
  });

  it('on the motorway itself with no surface street within 150 m: the nearest node, as a call there snaps', () => {
    // The first node of the graph that lies only on such roads, with no surface street within 150 m.
    let far = -1;
    for (let v = 0; v < g.nodeCount && far < 0; v++) {
      if (!g.inMainComponent[v] || touchesSurfaceStreet(g, v)) continue;
      if (net.accessPoint(g.lat[v], g.lon[v]).road?.surface === false) far = v;
    }
    expect(far).toBeGreaterThanOrEqual(0);
    expect(unitStartNode(net, g.lat[far], g.lon[far])).toMatchObject({ node: far, rule: 'nearest-node' });
  });

  it('on a graph without way tags (a synthetic city) every node is a surface node: the nearest node', () => {
    const small = new RoadNetwork(buildRoadGraph({
      lat: Float64Array.from([0, 0]), lon: Float64Array.from([0, 0.0018]), osmId: Float64Array.from([1, 2]),
      tail: Uint32Array.from([0, 1]), head: Uint32Array.from([1, 0]), metres: Float64Array.from([200, 200]),
      seconds: Float64Array.from([20, 20]), ways: [],
    }));
    expect(unitStartNode(small, 0.0001, 0.0017)).toMatchObject({ node: 1, rule: 'nearest-node' });
    expect(() => unitStartNode(small, 91, 0)).toThrow(/lat/);
  });
});
