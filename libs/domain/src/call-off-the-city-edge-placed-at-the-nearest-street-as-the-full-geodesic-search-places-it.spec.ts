import { pointToPolygonDistance, point } from '@turf/turf';
import * as fs from 'node:fs';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { roughEdgeMetres } from './jurisdiction-index';

const HOODS = process.env.CAD_SF_NEIGHBORHOODS ?? '/work/shared/data/san-francisco/sf_analysis_neighborhoods.geojson';

/**
 * The jurisdiction index rules streets out by a quick planar distance before it measures the geodesic
 * one (issue 19: a call off the city's edge cost 20 ms of the API's event loop). Its guarantee: on the
 * real San Francisco neighborhood polygons, the planar distance stays within 3 % + 2 m of turf's
 * geodesic `pointToPolygonDistance`, for points inside, on the edge, just off it and kilometres out in
 * the bay, so a street it rules out is never the nearest one.
 */
describe('a call off the city edge', () => {
  const fc = JSON.parse(fs.readFileSync(HOODS, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('is measured by the quick distance within 3 % + 2 m of the geodesic one, near and far', () => {
    let checked = 0;
    for (const f of fc.features.slice(0, 20)) {
      const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      for (let k = 0; k < 15; k++) {
        const [vx, vy] = ring[Math.floor(rnd() * ring.length)];
        // A vertex itself, a few metres off it, and up to ~5 km away.
        const spread = [0, 0.00005, 0.001, 0.05][k % 4];
        const lon = vx + (rnd() - 0.5) * spread;
        const lat = vy + (rnd() - 0.5) * spread;
        const exact = Math.abs(pointToPolygonDistance(point([lon, lat]), f.geometry, { units: 'meters' }));
        const quick = roughEdgeMetres(lat, lon, f.geometry);
        expect(Math.abs(quick - exact)).toBeLessThanOrEqual(0.03 * exact + 2);
        checked++;
      }
    }
    expect(checked).toBe(300);
  });
});
