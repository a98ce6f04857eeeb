import { isEmsUnit } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import type { LineString } from 'geojson';
import { startTestApp, TestApp } from '../testing/test-app';
import { DrillService } from './drill.service';

/**
 * Where a drill's units set off from (issue 20): a fire unit that clears drives back to its station and,
 * dispatched again before it is back, sets off from the scene it cleared; an ambulance's travel is one
 * its type (in the call's response mode) made on another day of the data, never its own day's.
 */
describe('a drill sends a fire unit from the scene it cleared until it is back home, and an ambulance as its type travelled on other days', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('drill-start-positions');
  });
  afterAll(async () => {
    await t.close();
  });

  it('replays a busy slice of 2017-01-01 under nearest', async () => {
    const drills = t.app.get(DrillService);
    const r = await t.request('POST', '/api/drills', { day: '2017-01-01', speed: 'max', policy: 'nearest', seed: 5, limit: 120 });
    expect(r.status).toBe(201);
    const v = await drills.whenDone(r.body.id);
    expect(v.state).toBe('finished');
    const run = drills.get(v.id);

    // Fire units: each next task after a cleared one sets off from that scene or from the station.
    const tasks: { unit_id: string; unit_type: string; dispatched_at: Date; cleared_at: Date | null; route: LineString | null; lat: number; lon: number; home_lat: number; home_lon: number }[] =
      await t.ds.query(
        `SELECT a.unit_id, u.unit_type, a.dispatched_at, a.cleared_at, a.route, i.lat, i.lon, u.home_lat, u.home_lon
           FROM assignment a JOIN incident i ON i.id = a.incident_id JOIN unit u ON u.world = 'live' AND u.id = a.unit_id
          WHERE a.world = $1 ORDER BY a.unit_id, a.dispatched_at`,
        [v.id],
      );
    const fromScene: number[] = [];
    const fromHome: number[] = [];
    for (let k = 1; k < tasks.length; k++) {
      const [prev, next] = [tasks[k - 1], tasks[k]];
      if (prev.unit_id !== next.unit_id || isEmsUnit(next.unit_type) || !prev.cleared_at || !next.route?.coordinates.length) continue;
      // A scene next door to the station cannot tell the two apart.
      if (haversineMetres(prev.lat, prev.lon, next.home_lat, next.home_lon) < 400) continue;
      const [lon, lat] = next.route.coordinates[0];
      const gapS = (next.dispatched_at.getTime() - prev.cleared_at.getTime()) / 1000;
      const toScene = haversineMetres(lat, lon, prev.lat, prev.lon);
      const toHome = haversineMetres(lat, lon, next.home_lat, next.home_lon);
      // The route begins at the road node nearest where the unit is: the scene it cleared, or its station.
      if (toScene < 150) fromScene.push(gapS);
      else if (toHome < 150) fromHome.push(gapS);
      else throw new Error(`${next.unit_id} set off ${toScene.toFixed(0)} m from its last scene and ${toHome.toFixed(0)} m from its station`);
    }
    expect(fromScene.length).toBeGreaterThan(0);
    expect(fromHome.length).toBeGreaterThan(0);
    // Still on the way back: dispatched soon after clearing (a drive across the strip is well under 30 min).
    expect(Math.max(...fromScene)).toBeLessThan(1800);

    // Ambulances: every simulated travel is one of its type's on another day, in the call's response mode.
    const day = '2017-01-01';
    const hist = new Map<string, Set<number>>();
    for (const c of run.scenario.calls) {
      if (c.localDate === day) continue;
      for (const u of c.units) {
        if (!u.enRoute || !u.onScene) continue;
        const key = `${u.unitType}|${c.priority === 1}`;
        (hist.get(key) ?? hist.set(key, new Set()).get(key)!).add((u.onScene.getTime() - u.enRoute.getTime()) / 1000);
      }
    }
    const priority = new Map(run.calls.map((c) => [c.externalId, c.priority]));
    const ambulances = [...run.sims.values()].filter((s) => (s.unitType === 'MEDIC' || s.unitType === 'PRIVATE') && s.enRouteAt && s.onSceneAt);
    expect(ambulances.length).toBeGreaterThan(10);
    for (const s of ambulances) {
      const travel = (s.onSceneAt!.getTime() - s.enRouteAt!.getTime()) / 1000;
      expect(hist.get(`${s.unitType}|${priority.get(s.callId) === 1}`)?.has(travel)).toBe(true);
    }
  }, 240_000);
});
