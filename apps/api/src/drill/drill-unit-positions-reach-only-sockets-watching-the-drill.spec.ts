import { io, Socket } from 'socket.io-client';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { DrillService } from './drill.service';

interface Avl {
  at: string;
  world: string;
  positions: { unitId: string; lat: number; lon: number }[];
}

/**
 * A drill's simulated crews drive their routes and their positions go out as `avl` messages of the
 * drill's world, under the same unit ids as the live fleet. They reach only the sockets watching drills
 * (`subscribe { drills: true }` or the run's id), as the drill's events do: a commander's or a district's
 * socket following live work gets none (it used to get every drill position, only the shipped console
 * filtered them out), and neither does a socket watching another drill.
 *
 * The drill runs at a finite speed (120 simulated seconds per real second): at `"max"` the simulated
 * clock never waits, so no position is broadcast between calls.
 */
describe('a drill’s unit positions reach only the sockets watching that drill', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp('drill-avl-rooms');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  /** A socket signed in with `token` and subscribed with `body`; the `avl` messages it receives and its acknowledgement. */
  const socket = async (token: string, body: Record<string, unknown>) => {
    const avl: Avl[] = [];
    const s = io(t.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    sockets.push(s);
    s.on('avl', (m: Avl) => avl.push(m));
    const ack = await new Promise<{ ok: boolean; error?: string }>((resolve, reject) => {
      s.on('connect_error', reject);
      s.on('connect', () => s.emit('subscribe', body, resolve));
    });
    expect(ack.ok).toBe(true);
    return avl;
  };

  it('sends them to drill watchers, never to live-only sockets nor to a watcher of another drill', async () => {
    const d3 = await t.signIn('d3');
    const liveCommander = await socket(t.token, { lastSeq: null });
    const liveDistrict = await socket(d3, { lastSeq: null });
    const watcher = await socket(t.token, { lastSeq: null, drills: true });
    const districtWatcher = await socket(d3, { lastSeq: null, drills: true });
    const otherDrill = await socket(t.token, { lastSeq: null, drills: ['drill-2016-12-31-nearest-s1-none'] });

    const r = await t.request('POST', '/api/drills', { day: '2017-01-03', speed: 120, limit: 10 });
    expect(r.status).toBe(201);
    const world: string = r.body.id;
    const byId = await socket(t.token, { lastSeq: null, drills: [world] });
    const drillAvl = (x: Avl[]) => x.filter((m) => m.world === world);
    // The city commander's watcher sees every unit of the city: wait until a few positions came.
    await waitFor(async () => (drillAvl(watcher).length >= 2 && drillAvl(byId).length >= 1 ? true : undefined), 120000, 'drill positions broadcast');
    await t.request('POST', `/api/drills/${world}/stop`);
    await t.app.get(DrillService).whenDone(world);
    await new Promise((res) => setTimeout(res, 600));

    expect(drillAvl(watcher)[0].positions[0]).toEqual({ unitId: expect.any(String), lat: expect.any(Number), lon: expect.any(Number) });
    expect(liveCommander.filter((m) => m.world !== 'live')).toEqual([]);
    expect(liveDistrict.filter((m) => m.world !== 'live')).toEqual([]);
    expect(otherDrill.filter((m) => m.world !== 'live')).toEqual([]);
    // A district watcher gets the drill's positions of its own units only: a subset of the city's.
    const cityUnits = new Set(drillAvl(watcher).flatMap((m) => m.positions.map((p) => p.unitId)));
    for (const m of drillAvl(districtWatcher)) for (const p of m.positions) expect(cityUnits.has(p.unitId)).toBe(true);
  }, 300000);
});
