import type { Polygon } from 'geojson';
import { RoadNetwork } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';
import { ClosedAreaIndex } from './closed-area-index';
import { ClosuresService } from './closures.service';

/**
 * Issue 19 (surge): while an area closure is in force, every dispatch asks which units stand inside a
 * closed area (they may drive its roads). The closed areas are indexed once per closure set, so a unit
 * outside every area costs one bounding-box test. The hostile twin of caching: a unit that moves into
 * the area after the index was built (and after it was asked about the unit outside) is found inside at
 * its new position and routed over the area's closed roads; a closure lifted or added changes the set,
 * and the index follows it.
 */
describe('a unit moving into a closed area after the closed areas were indexed', () => {
  /** A square of `half` metres each side of a point, as GeoJSON. */
  const square = (lat: number, lon: number, half: number): Polygon => {
    const dLat = half / 111_320;
    const dLon = half / (111_320 * Math.cos((lat * Math.PI) / 180));
    return {
      type: 'Polygon',
      coordinates: [
        [
          [lon - dLon, lat - dLat],
          [lon + dLon, lat - dLat],
          [lon + dLon, lat + dLat],
          [lon - dLon, lat + dLat],
          [lon - dLon, lat - dLat],
        ],
      ],
    };
  };

  it('the index: positions outside every area cost one box test and no polygon test; inside, the exact test decides', () => {
    let exact = 0;
    const index = new ClosedAreaIndex(
      [
        { id: 'a', geometry: square(37.78, -122.42, 300) },
        { id: 'b', geometry: square(37.76, -122.44, 300) },
      ],
      (lon, lat, area) => {
        exact++;
        const ring = (area as Polygon).coordinates[0];
        return lon >= ring[0][0] && lon <= ring[1][0] && lat >= ring[0][1] && lat <= ring[2][1];
      },
    );
    // Far outside both (and outside the box around both): no exact test at all.
    for (let k = 0; k < 100; k++) expect(index.containing(37.72 - k * 1e-4, -122.5)).toEqual([]);
    expect(exact).toBe(0);
    // Inside the box around both, outside each area's box (between the squares): still none.
    expect(index.containing(37.77, -122.43)).toEqual([]);
    expect(exact).toBe(0);
    // Inside one area: one exact test, of that area only.
    expect(index.containing(37.78, -122.42)).toEqual(['a']);
    expect(exact).toBe(1);
  });

  describe('routing', () => {
    let t: TestApp;
    let closures: ClosuresService;
    beforeAll(async () => {
      t = await startTestApp('closed-area-index');
      closures = t.app.get(ClosuresService);
    });
    afterAll(async () => {
      await t.close();
    });

    it('a unit found outside, then inside, routes over the area roads; the area lifted, it routes as everyone does', async () => {
      const [station] = await t.ds.query(`SELECT lat::float AS lat, lon::float AS lon FROM unit WHERE world = 'live' AND id = 'E02'`);
      const cordon = await t.request('POST', '/api/road-closures', { geometry: square(station.lat, station.lon, 335), reason: 'police cordon around Station 2' });
      expect(cordon.status).toBe(201);
      const [{ edge_ids: closed }] = await t.ds.query(`SELECT edge_ids FROM road_closure WHERE id = $1`, [cordon.body.closure.id]);
      const base = await closures.networkFor(null);
      const outside = { lat: station.lat - 1000 / 111_320, lon: station.lon };
      const inside = { lat: station.lat, lon: station.lon };

      // The index is built and asked about the unit outside the cordon, twice (a dispatch, then another).
      for (let k = 0; k < 2; k++) {
        const [net] = await closures.networksForUnits(null, [outside]);
        expect(net).toBe(base);
      }

      // The unit drives into the cordon: found inside at its new position, it may drive the closed roads.
      const [moved, stayed] = await closures.networksForUnits(null, [inside, outside]);
      expect(stayed).toBe(base);
      expect(moved).not.toBe(base);
      const from = moved.snap(inside.lat, inside.lon).node;
      const to = moved.snap(station.lat + 151 / 111_320, station.lon).node;
      const route = moved.route(from, to);
      expect(route).not.toBeNull();
      expect(moved.routeUsesEdges(route!.nodes, closed)).toBe(true);
      // The world's network still keeps those roads closed for everyone else.
      const closedForAll = new Set(base.closedEdgeIds());
      expect((closed as number[]).every((e) => closedForAll.has(e))).toBe(true);
      const around = base.route(from, to);
      if (around) expect(base.routeUsesEdges(around.nodes, closed)).toBe(false);

      // A second cordon added around the unit that stayed outside: the set changed, so it is found inside now.
      const far = outside;
      const second = await t.request('POST', '/api/road-closures', { geometry: square(far.lat, far.lon, 200), reason: 'gas leak' });
      expect(second.status).toBe(201);
      const [inSecond] = await closures.networksForUnits(null, [far]);
      expect(inSecond).not.toBe(await closures.networkFor(null));

      // Both lifted: the unit inside the first cordon's square routes on the world's network again.
      for (const c of [cordon, second]) expect((await t.request('DELETE', `/api/road-closures/${c.body.closure.id}`)).status).toBe(200);
      const open: RoadNetwork = await closures.networkFor(null);
      const [a, b] = await closures.networksForUnits(null, [inside, far]);
      expect(a).toBe(open);
      expect(b).toBe(open);
      const stillClosed = new Set(open.closedEdgeIds());
      expect((closed as number[]).some((e) => stillClosed.has(e))).toBe(false);
    });
  });
});
