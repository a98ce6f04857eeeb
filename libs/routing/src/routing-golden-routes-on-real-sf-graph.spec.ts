import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { LineString } from 'geojson';
import { Geocoder, RoadNetwork, type AccessOptions } from './index';

const SF_OSM = process.env.CAD_SF_ROADS_OSM ?? '/work/shared/data/san-francisco/sf_north_roads.osm';
const GOLDEN = path.join(__dirname, 'golden-routes.json');
/** Largest relative change of a golden route's graph travel time before the test fails. */
const TIME_TOLERANCE = 0.2;

/** A recorded route: OSM ids of the nodes driven through, the way of the last part-edge, graph seconds. */
interface GoldenRoute {
  nodes: number[];
  lastWay: number | null;
  seconds: number;
  besideClosureMetres: number | null;
}

interface GoldenCase {
  call: { lat: number; lon: number; options?: AccessOptions };
  unit: { lat: number; lon: number };
  closure?: (net: RoadNetwork, geo: Geocoder) => LineString;
}

const alongStreet = (geo: Geocoder, ...corners: string[]): LineString => ({
  type: 'LineString',
  coordinates: corners.map((q) => geo.geocode(q)!).map((p) => [p.lon, p.lat]),
});

/**
 * The six routes issue 18 fixes (graph time, not the fitted travel model). Regenerate the file only
 * on purpose, after checking the new routes on the map: `GOLDEN_ROUTES_UPDATE=1 npx jest <this file>`.
 */
const CASES: Record<string, GoldenCase> = {
  'a point above a tunnel (Presidio Main Post, over US 101)': { call: { lat: 37.803, lon: -122.456 }, unit: { lat: 37.8016398, lon: -122.4563565 } },
  'a collision in the tunnel (US 101 eastbound)': { call: { lat: 37.803, lon: -122.456, options: { roadway: 'US 101 eastbound' } }, unit: { lat: 37.8016398, lon: -122.4563565 } },
  'the southbound carriageway of Van Ness Ave': { call: { lat: 37.7965, lon: -122.4237 }, unit: { lat: 37.796, lon: -122.421 } },
  'the northbound carriageway of Van Ness Ave': { call: { lat: 37.7965, lon: -122.42345 }, unit: { lat: 37.796, lon: -122.421 } },
  'a one-way street (Pine St, westbound)': { call: { lat: 37.7898, lon: -122.4195 }, unit: { lat: 37.7925, lon: -122.415 } },
  'an incident on a closed block (Columbus Ave at Green St)': {
    call: { lat: 37.7995429, lon: -122.4091532 },
    unit: { lat: 37.796, lon: -122.421 },
    closure: (_n, geo) => alongStreet(geo, 'Columbus Ave & Union St', 'Columbus Ave & Green St', 'Columbus Ave & Vallejo St'),
  },
  'an incident reached only through a closed block (Hastings Terrace)': {
    call: { lat: 37.79955, lon: -122.41875 },
    unit: { lat: 37.796, lon: -122.421 },
    closure: (net) => ({ type: 'LineString', coordinates: [65310082, 4734121546].map((id) => net.nodeByOsmId(id)!).map((v) => [net.graph.lon[v], net.graph.lat[v]]) }),
  },
};

function drive(net: RoadNetwork, geo: Geocoder, c: GoldenCase): GoldenRoute {
  net.setClosures(c.closure ? net.closuresFromGeoJson(c.closure(net, geo)) : []);
  const approach = net.approach(c.call.lat, c.call.lon, c.call.options);
  const r = net.routeToApproach(net.snap(c.unit.lat, c.unit.lon).node, approach);
  if (r === null) throw new Error('golden route: unreachable');
  const g = net.graph;
  return {
    nodes: r.nodes.map((v) => g.osmId[v]),
    lastWay: r.lastEdge ? g.ways[g.edgeWay[r.lastEdge.edge]].osmId : null,
    seconds: Math.round(r.seconds * 1000) / 1000,
    besideClosureMetres: approach.beside ? Math.round(approach.beside.remainingMetres * 10) / 10 : null,
  };
}

describe('golden routes on the real San Francisco graph', () => {
  const net = RoadNetwork.fromOsmFile(SF_OSM);
  const geo = new Geocoder(net.roadsGeoJson(), []);
  afterAll(() => net.setClosures([]));

  if (process.env.GOLDEN_ROUTES_UPDATE === '1') {
    it('records the golden routes', () => {
      const out: Record<string, GoldenRoute> = {};
      for (const [name, c] of Object.entries(CASES)) out[name] = drive(net, geo, c);
      writeFileSync(GOLDEN, JSON.stringify(out, null, 1) + '\n');
    });
    return;
  }

  const golden = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, GoldenRoute>) : {};
  it('has a recorded route for every case and no stale one', () => {
    expect(Object.keys(golden).sort()).toEqual(Object.keys(CASES).sort());
  });
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: same edges, graph time within ${TIME_TOLERANCE * 100}%`, () => {
      const want = golden[name];
      const got = drive(net, geo, c);
      expect(got.nodes).toEqual(want.nodes);
      expect(got.lastWay).toBe(want.lastWay);
      expect(Math.abs(got.seconds - want.seconds)).toBeLessThanOrEqual(want.seconds * TIME_TOLERANCE);
      expect(got.besideClosureMetres === null).toBe(want.besideClosureMetres === null);
    });
  }
});
