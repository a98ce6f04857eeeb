import type { LineString, Polygon } from 'geojson';
import { Geocoder, RoadNetwork } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';

/**
 * Issue 18, "a closure strands a P1": a closure drawn along Columbus Ave through Union, Green and
 * Vallejo also closed the short stubs of the cross streets at each corner (both ends within the
 * line's 10 m tolerance), so the node of "Columbus and Green" had no open edge in and every engine
 * got "cannot reach the incident by road". Now the incident is served at the nearest reachable
 * point beside the closure, with the rest of the way shown.
 */
describe('a closure never strands an incident: it is served beside the closure', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const geo = new Geocoder(net.roadsGeoJson(), []);
  const at = (q: string) => geo.geocode(q)!;
  const columbus: LineString = {
    type: 'LineString',
    coordinates: ['Columbus Ave & Union St', 'Columbus Ave & Green St', 'Columbus Ave & Vallejo St'].map((q) => [at(q).lon, at(q).lat]),
  };
  const fire = at('Columbus Ave & Green St');
  // Engines spread over the city (Lincoln Blvd in the Presidio, Van Ness, the Embarcadero, North Beach).
  const units = [3722628275].map((id) => net.nodeByOsmId(id)!).concat(
    [[37.7965, -122.4237], [37.7995, -122.3985], [37.8003, -122.4102]].map(([lat, lon]) => net.snap(lat, lon).node),
  );
  afterEach(() => net.setClosures([]));

  it('reproduces the condition: with the closure, no unit reaches the corner node', () => {
    net.setClosures(net.closuresFromGeoJson(columbus));
    const times = net.travelTimesTo(net.snap(fire.lat, fire.lon).node, units);
    expect(Array.from(times).every((t) => t === Infinity)).toBe(true);
  });

  it('every unit gets a finite ETA to the point beside the closure, with the metres left shown', () => {
    net.setClosures(net.closuresFromGeoJson(columbus));
    const a = net.approach(fire.lat, fire.lon);
    expect(a.beside).not.toBeNull();
    expect(a.beside!.remainingMetres).toBeGreaterThan(0);
    expect(a.beside!.remainingMetres).toBeLessThan(50);
    const times = net.travelTimesToApproach(a, units);
    expect(Array.from(times).every((t) => Number.isFinite(t) && t > 0)).toBe(true);
    const r = net.routeToApproach(units[0], a)!;
    expect(r.seconds).toBeCloseTo(times[0], 6);
    expect(net.routeUsesEdges(r.nodes, net.closedEdgeIds())).toBe(false);
  });

  it('lifting the closure gives back the access point itself (the approach follows the closures, not a stale cache)', () => {
    net.setClosures(net.closuresFromGeoJson(columbus));
    expect(net.approach(fire.lat, fire.lon).beside).not.toBeNull();
    net.setClosures([]);
    const a = net.approach(fire.lat, fire.lon);
    expect(a.beside).toBeNull();
    expect(Array.from(net.travelTimesToApproach(a, units)).every(Number.isFinite)).toBe(true);
    net.setClosures(net.closuresFromGeoJson(columbus)); // and closing again re-derives it
    expect(net.approach(fire.lat, fire.lon).beside).not.toBeNull();
  });

  it('the approach a network remembers is frozen, and an empty roadway is not taken for none: no caller can change or confuse a later answer', () => {
    const a = net.approach(fire.lat, fire.lon);
    expect(() => {
      (a.legs as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(() => {
      (a.access as { lat: number }).lat = 0;
    }).toThrow(TypeError);
    expect(net.approach(fire.lat, fire.lon).legs.length).toBeGreaterThan(0);
    expect(net.approach(fire.lat, fire.lon)).toBe(a);
    // Asked with an empty roadway it is answered afresh (the memo keys every option as given).
    expect(net.approach(fire.lat, fire.lon, { roadway: '' })).not.toBe(a);
    // A snapped point is a copy: changing it changes nothing for the next caller.
    const s = net.snap(fire.lat, fire.lon);
    const node = s.node;
    s.node = -1;
    expect(net.snap(fire.lat, fire.lon).node).toBe(node);
  });

  it("a drill's own closures strand nothing on the live network, and the live closures do not reach the drill's copy", () => {
    const drill = net.withOwnClosures();
    drill.setClosures(drill.closuresFromGeoJson(columbus));
    expect(drill.approach(fire.lat, fire.lon).beside).not.toBeNull();
    expect(net.approach(fire.lat, fire.lon).beside).toBeNull();
    net.setClosures(net.closuresFromGeoJson(columbus));
    drill.setClosures([]);
    expect(drill.approach(fire.lat, fire.lon).beside).toBeNull();
    expect(net.approach(fire.lat, fire.lon).beside).not.toBeNull();
  });

  it('a flooded area all around the incident: served at the nearest reachable node outside it', () => {
    const d = 0.0015; // about 130 m each way
    const flood: Polygon = {
      type: 'Polygon',
      coordinates: [[[fire.lon - d, fire.lat - d], [fire.lon + d, fire.lat - d], [fire.lon + d, fire.lat + d], [fire.lon - d, fire.lat + d], [fire.lon - d, fire.lat - d]]],
    };
    net.setClosures(net.closuresFromGeoJson(flood));
    const a = net.approach(fire.lat, fire.lon);
    expect(a.beside!.remainingMetres).toBeGreaterThan(100);
    const b = a.beside!;
    expect(Math.abs(b.lat - fire.lat) > d * 0.9 || Math.abs(b.lon - fire.lon) > d * 0.9).toBe(true);
    const times = Array.from(net.travelTimesToApproach(a, units));
    expect(times.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(times[3]).toBe(Infinity); // the North Beach unit is inside the flood itself: it cannot drive out
  });

  it('a dead end reached only through a closed block (Hastings Terrace) is served at its mouth', () => {
    const mouth = net.nodeByOsmId(65310082)!;
    const stub = net.nodeByOsmId(4734121546)!;
    const entry: LineString = { type: 'LineString', coordinates: [mouth, stub].map((v) => [net.graph.lon[v], net.graph.lat[v]]) };
    net.setClosures(net.closuresFromGeoJson(entry));
    const a = net.approach(37.79955, -122.41875);
    expect(a.access.road!.name).toBe('Hastings Terrace');
    expect(a.beside!.node).toBe(mouth);
    expect(a.beside!.remainingMetres).toBeGreaterThan(25);
  });
});
